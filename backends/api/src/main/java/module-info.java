/**
 * The backend SPI (a provider per linear-algebra backend, with its availability and Guice module)
 * and backend selection: discovery, {@code auto}, named requests, the fall-back log line.
 */
module dev.kronograd.backend {
    requires transitive dev.kronograd.core;
    requires transitive com.google.guice;
    requires org.slf4j;
    exports dev.kronograd.backend;
    uses dev.kronograd.backend.BackendProvider;
}
