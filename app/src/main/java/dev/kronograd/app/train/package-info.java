/**
 * Training classifiers with Kronograd's gradients, and the pictures of it: {@link
 * dev.kronograd.app.train.Dataset} and {@link dev.kronograd.app.train.DataSets} (Fisher's Iris,
 * seeded two spirals, stratified splits), {@link dev.kronograd.app.train.Standardizer}, the
 * {@link dev.kronograd.app.train.Optimizer}s {@link dev.kronograd.app.train.Sgd} (momentum) and
 * {@link dev.kronograd.app.train.Adam} updating the flat parameter vector in place, the
 * mini-batch {@link dev.kronograd.app.train.Trainer} with a
 * {@link dev.kronograd.app.train.TrainingListener}, {@link dev.kronograd.app.train.TrainingRun}
 * tying them together from {@link dev.kronograd.app.train.TrainingOptions}, and PNG output in
 * {@link dev.kronograd.app.train.TrainingPlots} (curves, decision regions, XChart) and
 * {@link dev.kronograd.app.train.SpyPlot} (sparsity patterns, Java2D). Nothing here prints: it
 * logs through SLF4J; the {@code train} and {@code demo} commands print.
 */
package dev.kronograd.app.train;
