/**
 * Training classifiers with Kronograd's gradients: {@link dev.kronograd.sdk.train.Dataset}
 * (features and one-hot targets, shuffles and stratified splits), {@link
 * dev.kronograd.sdk.train.Standardizer}, the {@link dev.kronograd.sdk.train.Optimizer}s {@link
 * dev.kronograd.sdk.train.Sgd} (momentum) and {@link dev.kronograd.sdk.train.Adam} updating the flat
 * parameter vector in place, and the mini-batch {@link dev.kronograd.sdk.train.Trainer} reporting to
 * a {@link dev.kronograd.sdk.train.TrainingListener}. Nothing here prints or draws: it logs through
 * SLF4J; the CLI's {@code train} and {@code demo} commands print and plot.
 */
package dev.kronograd.sdk.train;
