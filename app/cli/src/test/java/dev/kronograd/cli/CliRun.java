package dev.kronograd.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One in-process run of the CLI with captured stdout and stderr.
 *
 * @param code the exit code
 * @param out  what went to stdout
 * @param err  what went to stderr
 */
record CliRun(int code, String out, String err) {

    /** Runs {@code kronograd args…} with an empty standard input. */
    static CliRun of(String... args) {
        return withStdin("", args);
    }

    /** Runs {@code kronograd args…} with {@code stdin} as standard input. */
    static CliRun withStdin(String stdin, String... args) {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KronogradCli.run(args, in, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The non-empty lines written to stderr. */
    List<String> errLines() {
        return Arrays.stream(err.split("\\R")).filter(l -> !l.isBlank()).toList();
    }

    /** The path of a case file under src/test/resources/cases. */
    static String caseFile(String name) {
        URL url = CliRun.class.getResource("/cases/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no test case " + name);
        }
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
