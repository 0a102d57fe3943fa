/** The backend SPI: a provider per linear-algebra backend, with its availability and Guice module. */
module dev.kronograd.backend {
    requires transitive dev.kronograd.core;
    requires transitive com.google.guice;
    exports dev.kronograd.backend;
    uses dev.kronograd.backend.BackendProvider;
}
