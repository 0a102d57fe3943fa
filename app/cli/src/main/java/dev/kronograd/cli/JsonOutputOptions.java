package dev.kronograd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kronograd.service.io.CaseWriter;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** The {@code --compact} option of the commands that print JSON (a picocli mixin), and the printing. */
public final class JsonOutputOptions {
    @Option(names = "--compact", description = "Print the JSON on one line instead of indented.")
    private boolean compact;

    /** Prints {@code json} and a line feed to {@code out}, indented unless {@code --compact}. */
    public void print(JsonNode json, PrintWriter out) {
        try {
            (compact ? CaseWriter.compact() : CaseWriter.pretty()).write(json, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a PrintWriter does not throw; kept for the Writer contract
        }
    }
}
