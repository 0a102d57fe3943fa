/**
 * The Kronograd service: the JSON case format ({@code dev.kronograd.service.io}) and the HTTP
 * gradient service ({@code dev.kronograd.service}). Logs through SLF4J's API only.
 */
module dev.kronograd.service {
    requires transitive dev.kronograd.sdk;
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;
    // The HTTP service runs on the JDK's built-in server.
    requires jdk.httpserver;

    exports dev.kronograd.service;
    exports dev.kronograd.service.io;
}
