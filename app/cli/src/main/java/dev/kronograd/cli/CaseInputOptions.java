package dev.kronograd.cli;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.io.CaseFormatException;
import dev.kronograd.service.io.CaseReader;
import dev.kronograd.service.io.GradientCase;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The {@code --input FILE|-} option of the commands that work on a case (a picocli mixin), and
 * reading it: every problem — an unreadable file, invalid JSON, an inconsistent case — becomes a
 * one-line user error that names the file and the JSON field.
 */
public final class CaseInputOptions {
    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE",
            description = "The case: JSON with \"layers\", \"inputs\" and \"loss\" (format: docs/case-format.md); '-' reads standard input.")
    private String input;

    /** The {@code --input} value as given. */
    public String input() {
        return input;
    }

    /**
     * Reads and validates the case with {@code sdk}'s backend, activations and losses.
     *
     * @param stdin read when the input is {@code -}
     * @throws UserInputException for an unreadable file or an invalid case
     */
    public GradientCase read(Kronograd sdk, InputStream stdin) {
        CaseReader reader = CaseReader.using(sdk);
        if ("-".equals(input)) {
            try {
                return reader.read(stdin);
            } catch (CaseFormatException e) {
                throw new UserInputException("standard input: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UserInputException("cannot read the case from standard input: " + e.getMessage(), e);
            }
        }
        Path file;
        try {
            file = Path.of(input);
        } catch (InvalidPathException e) {
            throw new UserInputException("cannot read the case file '" + input + "': not a valid path (" + e.getReason() + ")", e);
        }
        if (Files.isDirectory(file)) {
            throw new UserInputException("cannot read the case file '" + input + "': it is a folder");
        }
        try {
            return reader.read(file);
        } catch (CaseFormatException e) {
            throw new UserInputException(input + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new UserInputException("cannot read the case file '" + input + "': no such file", e);
        } catch (AccessDeniedException e) {
            throw new UserInputException("cannot read the case file '" + input + "': permission denied", e);
        } catch (IOException e) {
            throw new UserInputException("cannot read the case file '" + input + "': " + e.getMessage(), e);
        }
    }
}
