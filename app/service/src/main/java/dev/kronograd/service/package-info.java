/**
 * Kronograd as an HTTP/1.1 JSON service on Jetty 12's core server (no servlet API):
 * {@link dev.kronograd.service.GradientService} serves gradients, gradient checks, Hessian-vector
 * products and Hessian diagonals and traces of cases in the JSON case format (docs/case-format.md),
 * within the {@link dev.kronograd.service.ServiceLimits} it is given, with admission by deadline,
 * read timeouts, {@code /ready} and Prometheus {@code /metrics} (Micrometer).
 * {@link dev.kronograd.service.GradientHandler} is the same service as a Jetty {@code Handler}
 * for hosts that run their own Jetty server. {@code kronograd serve} runs it from the command line;
 * hosts can start it from code. The package logs through SLF4J only: startup and shutdown at INFO,
 * the access log (logger {@code dev.kronograd.service.access}) at INFO, internal faults at ERROR
 * with their request id.
 */
package dev.kronograd.service;
