/**
 * Kronograd as an HTTP/1.1 JSON service on the JDK's built-in {@code com.sun.net.httpserver}:
 * {@link dev.kronograd.service.GradientService} serves gradients, gradient checks, Hessian-vector
 * products and Hessian diagonals and traces of cases in the JSON case format (docs/case-format.md),
 * within the {@link dev.kronograd.service.ServiceLimits} it is given. {@code kronograd serve} runs it from
 * the command line; hosts can start it from code. The package logs through SLF4J only: startup
 * and shutdown at INFO, one line per request at DEBUG, internal faults at ERROR with their
 * request id.
 */
package dev.kronograd.service;
