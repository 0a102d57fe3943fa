/**
 * The Kronograd service: the JSON case format ({@code dev.kronograd.service.io}) and the HTTP
 * gradient service ({@code dev.kronograd.service}) on Jetty 12, with Micrometer meters. Logs
 * through SLF4J's API only.
 */
module dev.kronograd.service {
    requires transitive dev.kronograd.sdk;
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;
    // The HTTP service runs on Jetty 12's core server (explicit modules); GradientHandler is a Jetty Handler.
    requires transitive org.eclipse.jetty.server;
    // Meters: Micrometer (automatic modules); a host may pass its own MeterRegistry.
    requires transitive micrometer.core;
    requires micrometer.registry.prometheus;

    exports dev.kronograd.service;
    exports dev.kronograd.service.io;
}
