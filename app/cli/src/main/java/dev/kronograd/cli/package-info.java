/**
 * The {@code kronograd} command line (picocli): {@link dev.kronograd.cli.KronogradCli} with
 * the {@code gradient}, {@code check}, {@code jacobian}, {@code hessian}, {@code backends}, {@code activations},
 * {@code demo}, {@code train}, {@code serve} and {@code bench}
 * commands. Only this package prints to stdout/stderr; the SDK logs through SLF4J.
 */
package dev.kronograd.cli;
