/**
 * The {@code kronograd} command line: picocli commands, the demo, training runs on the bundled
 * data sets, plots. The one module that ships an SLF4J binding.
 */
module dev.kronograd.cli {
    requires dev.kronograd.service;
    requires info.picocli;
    requires java.desktop;
    requires java.logging;
    requires org.knowm.xchart;
    requires org.slf4j;

    exports dev.kronograd.cli;
    exports dev.kronograd.cli.demo;
    exports dev.kronograd.cli.train;

    // picocli reads the command classes' annotations and sets their fields reflectively.
    opens dev.kronograd.cli to info.picocli;
}
