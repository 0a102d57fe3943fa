package dev.kronograd.cli;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.GradientService;
import dev.kronograd.service.ServiceLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every output shown in README.md and the guides is what the command shown with it prints: the
 * command runs in-process and its output is compared with the block, after normalising only what
 * legitimately varies between runs (timings, rates, temporary folders).
 *
 * <p>An output block is a fenced {@code json}, {@code text} or untagged block that directly follows
 * a {@code bash}/{@code sh} block, or that follows a line {@code <!-- output of: COMMAND -->}. Its
 * expected content is the concatenated output of the block's {@code ./kronograd …} (or
 * {@code java -jar app/cli/target/kronograd.jar …}) commands, understood with a small subset of
 * shell: {@code VAR=value} and {@code $VAR} (kept for the rest of the file), {@code echo '…' |}
 * as standard input, {@code > FILE} (stdout into a file the later commands can read, not shown),
 * and {@code ; echo "exit $?"} (stderr and the exit code shown instead of stdout). A {@code text}
 * or untagged block that is neither checked nor preceded by {@code <!-- not checked: REASON -->}
 * fails the test, so a new output block cannot go unchecked by accident.
 */
class DocumentedOutputTest {
    private static final Path ROOT = findRoot();
    private static final List<String> DOCUMENTS = List.of("README.md", "docs/training.md", "docs/activations.md",
            "docs/case-format.md");
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
    private static final Pattern OUTPUT_OF = Pattern.compile("^<!-- output of: (.+) -->$");
    private static final Pattern NOT_CHECKED = Pattern.compile("^<!-- not checked: .+ -->$");
    private static final Pattern CHECKED_BY = Pattern.compile("^<!-- checked by: (\\w+) -->$");
    private static final Pattern CURL = Pattern.compile(
            "^curl -s (?:-X POST -H 'Content-Type: application/json' --data-binary @(\\S+) )?http://127\\.0\\.0\\.1:8080(/\\S*)$");
    private static final List<String> LAUNCHERS = List.of("./kronograd ", "java -jar app/cli/target/kronograd.jar ");

    @TempDir
    static Path work;

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("app/cli/pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** A fenced block: its language, its lines and the line number of its opening fence. */
    private record Block(String language, List<String> lines, int line, String before) {
        boolean isShell() {
            return language.equals("bash") || language.equals("sh");
        }

        boolean isOutput() {
            return language.equals("json") || language.equals("text") || language.isEmpty();
        }
    }

    private static List<Block> blocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        String before = "";
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                if (!lines.get(i).isBlank()) {
                    before = lines.get(i);
                }
                continue;
            }
            int start = i;
            List<String> body = new ArrayList<>();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                body.add(lines.get(i));
            }
            blocks.add(new Block(open.group(1), body, start + 1, before));
            before = "```";
        }
        return blocks;
    }

    @TestFactory
    List<DynamicTest> everyOutputBlockIsWhatItsCommandPrints() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String document : DOCUMENTS) {
            List<String> lines = Files.readAllLines(ROOT.resolve(document));
            List<Block> blocks = blocks(lines);
            Map<String, String> variables = new HashMap<>();
            Map<String, Path> files = new HashMap<>();
            for (int b = 0; b < blocks.size(); b++) {
                Block block = blocks.get(b);
                if (!block.isOutput()) {
                    continue;
                }
                String where = document + ":" + block.line();
                Matcher marker = OUTPUT_OF.matcher(block.before());
                Matcher checkedBy = CHECKED_BY.matcher(block.before());
                List<String> commands;
                if (checkedBy.matches()) {
                    String test = checkedBy.group(1) + ".java";
                    tests.add(DynamicTest.dynamicTest(where + " (checked by " + test + ")", () -> {
                        try (var found = Files.find(ROOT, 12, (path, attributes) -> path.endsWith(test)
                                && path.toString().contains("/src/test/java/"))) {
                            assertTrue(found.findAny().isPresent(), where + ": no test " + test);
                        }
                    }));
                    continue;
                } else if (marker.matches()) {
                    commands = List.of(marker.group(1));
                } else if (block.before().equals("```") && b > 0 && blocks.get(b - 1).isShell()) {
                    commands = blocks.get(b - 1).lines();
                } else {
                    boolean mustBeChecked = !block.language().equals("json");
                    if (mustBeChecked) {
                        tests.add(DynamicTest.dynamicTest(where + " is checked or says why not", () -> assertTrue(
                                NOT_CHECKED.matcher(block.before()).matches(),
                                where + ": an output block needs a command before it, '<!-- output of: … -->' or "
                                        + "'<!-- not checked: reason -->'")));
                    }
                    continue;
                }
                // Run now, in document order: later blocks may read files or variables these set.
                String actual = runAll(commands, variables, files, where);
                if (actual == null) {
                    tests.add(DynamicTest.dynamicTest(where + " (no kronograd command)", () -> assertTrue(
                            NOT_CHECKED.matcher(blocks.get(Math.max(0, blocks.indexOf(block) - 1)).before()).matches()
                                    || NOT_CHECKED.matcher(block.before()).matches(),
                            where + ": the commands before this output block run no kronograd command; mark the shell "
                                    + "block with '<!-- not checked: reason -->'")));
                    continue;
                }
                String expected = String.join("\n", block.lines());
                tests.add(DynamicTest.dynamicTest(where, () -> {
                    String documented = normalise(expected);
                    String printed = normalise(actual);
                    if (!sameUpToRounding(documented, printed)) {
                        assertEquals(documented, printed, where + ": the documented output differs from what the command prints");
                    }
                }));
            }
        }
        assertFalse(tests.isEmpty());
        return tests;
    }

    /**
     * Every Java snippet compiles as far as names go: each Kronograd type it uses is imported in it
     * or in an earlier snippet of the same document (or declared by it), and every import names a
     * class that exists — Kronograd's in the sources, the others on this class path (Spark's are
     * not on it and are only listed).
     */
    @TestFactory
    List<DynamicTest> everyJavaSnippetImportsWhatItUses() throws IOException {
        Map<String, String> kronogradTypes = new HashMap<>();
        try (var sources = Files.walk(ROOT)) {
            sources.filter(f -> f.toString().contains("/src/main/java/dev/kronograd/") && !f.toString().contains("/target/")
                            && f.toString().endsWith(".java") && !f.getFileName().toString().contains("-"))
                    .forEach(f -> {
                        String path = f.toString();
                        String type = path.substring(path.indexOf("/src/main/java/") + "/src/main/java/".length(),
                                path.length() - ".java".length()).replace('/', '.');
                        kronogradTypes.put(type.substring(type.lastIndexOf('.') + 1), type);
                    });
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String document : DOCUMENTS) {
            java.util.Set<String> imported = new java.util.HashSet<>();
            for (Block block : blocks(Files.readAllLines(ROOT.resolve(document)))) {
                if (!block.language().equals("java")) {
                    continue;
                }
                String where = document + ":" + block.line();
                List<String> missing = new ArrayList<>();
                for (String line : block.lines()) {
                    Matcher imp = Pattern.compile("^import (?:static )?([\\w.]+);$").matcher(line.strip());
                    if (imp.matches()) {
                        String name = imp.group(1);
                        imported.add(name.substring(name.lastIndexOf('.') + 1));
                        boolean exists = name.startsWith("dev.kronograd.") ? kronogradTypes.containsValue(name)
                                : name.startsWith("org.apache.spark.") || name.startsWith("com.example.") || loads(name);
                        if (!exists) {
                            missing.add("no class " + name);
                        }
                    }
                }
                String code = String.join("\n", block.lines())
                        .replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ").replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
                Matcher declared = Pattern.compile("\\b(?:class|interface|record|enum) (\\w+)").matcher(code);
                java.util.Set<String> declaredHere = new java.util.HashSet<>();
                while (declared.find()) {
                    declaredHere.add(declared.group(1));
                }
                Matcher type = Pattern.compile("(?<![.\\w])([A-Z]\\w*)\\b").matcher(code);
                while (type.find()) {
                    String name = type.group(1);
                    if (kronogradTypes.containsKey(name) && !imported.contains(name) && !declaredHere.contains(name)
                            && !code.contains("import " + kronogradTypes.get(name) + ";")) {
                        missing.add("no import of " + kronogradTypes.get(name));
                    }
                }
                tests.add(DynamicTest.dynamicTest(where, () -> assertEquals(List.of(), missing.stream().distinct().toList(),
                        where + ": a Java snippet must import what it uses")));
            }
        }
        return tests;
    }

    private static boolean loads(String name) {
        try {
            Class.forName(name, false, DocumentedOutputTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return name.contains(".") && loads(name.substring(0, name.lastIndexOf('.'))); // a static member
        }
    }

    /** The concatenated output of the kronograd commands among {@code commands}, or null if there are none. */
    private static String runAll(List<String> commands, Map<String, String> variables, Map<String, Path> files, String where) {
        StringBuilder output = new StringBuilder();
        boolean ran = false;
        for (String raw : commands) {
            String line = stripComment(raw).strip();
            Matcher assignment = Pattern.compile("^([A-Z_]+)=(\\S+)$").matcher(line);
            if (assignment.matches()) {
                variables.put(assignment.group(1), assignment.group(2));
                continue;
            }
            for (Map.Entry<String, String> v : variables.entrySet()) {
                line = line.replace("$" + v.getKey(), v.getValue());
            }
            String stdin = "";
            Matcher echo = Pattern.compile("^echo '([^']*)' \\| (.*)$").matcher(line);
            if (echo.matches()) {
                stdin = echo.group(1) + "\n";
                line = echo.group(2);
            }
            boolean showExit = line.endsWith("; echo \"exit $?\"");
            if (showExit) {
                line = line.substring(0, line.length() - "; echo \"exit $?\"".length());
            }
            String redirect = null;
            Matcher to = Pattern.compile("^(.*) > (\\S+)$").matcher(line);
            if (to.matches()) {
                line = to.group(1);
                redirect = to.group(2);
            }
            Matcher curl = CURL.matcher(line);
            if (curl.matches()) {
                ran = true;
                String answer = service(curl.group(2), curl.group(1) == null ? null : resolve(curl.group(1), files));
                output.append(answer).append(answer.endsWith("\n") ? "" : "\n");
                continue;
            }
            String launcher = LAUNCHERS.stream().filter(line::startsWith).findFirst().orElse(null);
            if (launcher == null) {
                continue;
            }
            ran = true;
            List<String> args = new ArrayList<>();
            for (String arg : line.substring(launcher.length()).trim().split("\\s+")) {
                if (files.containsKey(arg)) {
                    args.add(files.get(arg).toString());
                } else if (!args.isEmpty() && !arg.startsWith("-") && Files.exists(ROOT.resolve(arg))) {
                    args.add(ROOT.resolve(arg).toString());
                } else {
                    args.add(arg);
                }
            }
            if ((args.get(0).equals("demo") || args.get(0).equals("train")) && !args.contains("--out")) {
                args.add("--out");
                args.add(work.resolve("kronograd-out").toString());
            }
            CliRun run = CliRun.withStdin(stdin, args.toArray(String[]::new));
            if (redirect != null) {
                Path file = work.resolve(redirect);
                try {
                    Files.writeString(file, run.out());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                files.put(redirect, file);
                continue;
            }
            // as on a terminal: what the command prints, then its error line if any
            output.append(run.out()).append(run.err());
            if (showExit) {
                output.append("exit ").append(run.code()).append('\n');
            }
        }
        return ran ? output.toString() : null;
    }

    private static Path resolve(String arg, Map<String, Path> files) {
        return files.containsKey(arg) ? files.get(arg) : ROOT.resolve(arg);
    }

    private static GradientService service;
    private static Kronograd serviceSdk;

    /** The answer of the HTTP service (started once, on a free loopback port) to a GET, or a POST of {@code body}. */
    private static String service(String path, Path body) {
        try {
            if (service == null) {
                serviceSdk = Kronograd.create();
                service = GradientService.start(serviceSdk, ServiceLimits.defaults(),
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                    .timeout(Duration.ofSeconds(30));
            if (body != null) {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofFile(body));
            }
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
            serviceSdk.close();
        }
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == '#' && !quoted && (i == 0 || line.charAt(i - 1) == ' ')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    @Test
    void roundingToleranceAcceptsOnlyLastDigitDifferences() {
        assertTrue(sameUpToRounding("\"mean\": [ 0.28557961122835807 ]", "\"mean\": [ 0.2855796112283582 ]"));
        assertTrue(sameUpToRounding("r = 8.24298540808982E-15", "r = 8.242985408089821E-15"));
        assertFalse(sameUpToRounding("\"mean\": [ 0.28557961 ]", "\"mean\": [ 0.28557962 ]"));
        assertFalse(sameUpToRounding("exit 1", "exit 2"));
        assertFalse(sameUpToRounding("\"iterations\": 17", "\"iterations\": 17.0"));
        assertFalse(sameUpToRounding("\"trace\": 1.5", "\"trace\": -1.5"));
        assertFalse(sameUpToRounding("\"trace\": 1.5", "\"Trace\": 1.5"));
        assertFalse(sameUpToRounding("[ 1.0, 2.0 ]", "[ 1.0, 2.0, 3.0 ]"));
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
    /** Relative difference allowed between a documented and a printed number (see {@link #sameUpToRounding}). */
    static final double ROUNDING = 1e-12;

    /**
     * The same text with the same numbers up to the last digits: the backends (and the JVM's vector
     * module) sum in different orders, so a documented double may differ from a run's in its last
     * few bits. Everything but numbers must be identical; numbers agree within {@value #ROUNDING}
     * relative (1e-300 absolute near zero), and a number written as an integer must be the same integer.
     */
    static boolean sameUpToRounding(String documented, String printed) {
        Matcher a = NUMBER.matcher(documented);
        Matcher b = NUMBER.matcher(printed);
        int endA = 0;
        int endB = 0;
        while (true) {
            boolean moreA = a.find();
            boolean moreB = b.find();
            if (moreA != moreB) {
                return false;
            }
            String textA = documented.substring(endA, moreA ? a.start() : documented.length());
            String textB = printed.substring(endB, moreB ? b.start() : printed.length());
            if (!textA.equals(textB)) {
                return false;
            }
            if (!moreA) {
                return true;
            }
            String x = a.group();
            String y = b.group();
            if (!x.equals(y)) {
                boolean integers = !x.matches(".*[.eE].*") || !y.matches(".*[.eE].*");
                double u = Double.parseDouble(x);
                double v = Double.parseDouble(y);
                if (integers || Math.abs(u - v) > Math.max(ROUNDING * Math.max(Math.abs(u), Math.abs(v)), 1e-300)) {
                    return false;
                }
            }
            endA = a.end();
            endB = b.end();
        }
    }

    /**
     * What may differ between two correct runs: elapsed times and rates, and the repository's
     * absolute path (the test passes absolute paths where the document has relative ones).
     */
    static String normalise(String text) {
        String s = text.replace(ROOT + "/", "").replace(work.resolve("kronograd-out").toString(), "kronograd-out");
        s = s.replaceAll("\\d[\\d,.]* ?(µs|ms|s)\\b", "<time>");
        s = s.replaceAll(" *\\d[\\d,.]* samples/s", " <rate> samples/s");
        return s.strip().lines().map(String::stripTrailing).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
