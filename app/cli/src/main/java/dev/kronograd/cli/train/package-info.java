/**
 * The CLI's training runs and their pictures: {@link dev.kronograd.cli.train.DataSets} (Fisher's
 * Iris, seeded two spirals), {@link dev.kronograd.cli.train.TrainingRun} tying the SDK's {@link
 * dev.kronograd.sdk.train.Trainer} to them from {@link dev.kronograd.cli.train.TrainingOptions}, and
 * PNG output in {@link dev.kronograd.cli.train.TrainingPlots} (curves, decision regions, XChart) and
 * {@link dev.kronograd.cli.train.SpyPlot} (sparsity patterns, Java2D). Nothing here prints; the
 * {@code train} and {@code demo} commands do.
 */
package dev.kronograd.cli.train;
