package dev.kronograd.cli;

import dev.kronograd.core.KronogradException;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code kronograd} command line: {@code gradient}, {@code check}, {@code jacobian}, {@code hessian},
 * {@code backends}, {@code activations}, {@code demo}, {@code train}, {@code serve}, {@code bench} (and {@code help}).
 *
 * <h2>Adding a command</h2>
 * Write a class in this package annotated with {@code @Command(name = "…", mixinStandardHelpOptions = true)}
 * implementing {@code Callable<Integer>}, with {@code @Mixin SdkOptions sdk;} (for
 * {@code --backend}, {@code --plugin-path}, {@code --verbose}), printing only to
 * {@code spec.commandLine().getOut()}, and list it in {@code subcommands} below. It reports user
 * errors by throwing {@link UserInputException} or letting the SDK's own error through: both are
 * {@link KronogradException}s; anything else is an internal error.
 *
 * <h2>Exit codes and errors</h2>
 * <ul>
 *   <li>{@value #EXIT_OK}: success.</li>
 *   <li>1 from {@code check}: the gradient check ran and failed (its report, with
 *       {@code "passed": false}, is on stdout and stderr stays empty).</li>
 *   <li>{@value #EXIT_USER_ERROR}: a user error — a bad case, an unknown activation, loss or
 *       backend name, a named backend that is unavailable, an unreadable file, a materialisation
 *       over the limit, an unknown option or other usage error. Exactly one line on stderr,
 *       {@code kronograd: error: …}, never a stack trace.</li>
 *   <li>{@value #EXIT_INTERNAL_ERROR}: an internal fault (a bug or an exhausted resource): one line
 *       {@code kronograd: internal error: …} on stderr, plus the stack trace with {@code --verbose}.</li>
 * </ul>
 * Results go to stdout only; SDK log messages go to stderr through SLF4J (WARN and above unless
 * {@code --verbose}), so stdout stays clean JSON.
 */
@Command(name = "kronograd",
        mixinStandardHelpOptions = true,
        versionProvider = KronogradCli.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Derivatives of neural-network layers σ(W x + b), computed with vec/Kronecker structured operators.",
        subcommands = {
                // The place to register commands, in the order `kronograd --help` lists them.
                GradientCommand.class,
                BenchCommand.class,
                CheckCommand.class,
                JacobianCommand.class,
                HessianCommand.class,
                LaplaceCommand.class,
                BackendsCommand.class,
                ActivationsCommand.class,
                DemoCommand.class,
                TrainCommand.class,
                ServeCommand.class,
                CommandLine.HelpCommand.class,
        },
        footer = {"",
                "Exit codes:",
                "  0  success",
                "  1  check: the check failed (its report is on stdout);",
                "     any command: internal error (one line on stderr; with --verbose, the",
                "     stack trace follows)",
                "  2  user error: a bad case, an unknown activation, loss or backend, an",
                "     unavailable backend, an unreadable file, wrong usage",
                "",
                "Run 'kronograd COMMAND --help' for the options of a command."})
public final class KronogradCli {
    /** Exit code of a successful run. */
    public static final int EXIT_OK = 0;
    /** Exit code of an internal fault. */
    public static final int EXIT_INTERNAL_ERROR = 1;
    /** Exit code of a user error: bad input, unknown name, unavailable backend, usage error. */
    public static final int EXIT_USER_ERROR = 2;

    /** The start of every error line. */
    static final String ERROR_PREFIX = "kronograd: error: ";
    private static final String INTERNAL_ERROR_PREFIX = "kronograd: internal error: ";

    /** The SLF4J simple logger's default level. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    /**
     * netlib-java reports its expected fall-backs ("Failed to load implementation from
     * VectorBLAS") through java.util.logging at WARNING; the CLI keeps them off stderr unless
     * {@code --verbose}. Held in a field because java.util.logging keeps loggers only weakly.
     */
    static final Logger NATIVE_LIBRARY_LOG = Logger.getLogger("dev.ludovic.netlib");

    /**
     * The SLF4J simple logger's level for the activation registry, which logs each plugin problem
     * at WARN: {@code activations} raises it to ERROR (unless {@code --verbose}) because it lists
     * the problems itself.
     */
    static final String REGISTRY_LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.dev.kronograd.activations.ActivationRegistry";

    private final InputStream stdin;

    private KronogradCli(InputStream stdin) {
        this.stdin = stdin;
    }

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        boolean verbose = Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
        configureProcess(verbose);
        if (!verbose && "activations".equals(Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(""))) {
            // 'activations' lists every plugin problem on stdout; the registry's WARN line would repeat each on stderr
            setIfAbsent(REGISTRY_LOG_LEVEL_PROPERTY, "error");
        }
        int code = run(args, System.in, out, err);
        System.exit(code);
    }

    /**
     * The JVM-wide settings of a {@code kronograd} process, made by its entry points ({@link #main},
     * {@code ServeCommand.main}) before the first logger, AWT class or HTTP server exists; the
     * libraries set none of them, and a host running {@link #run} in-process keeps its own.
     * <ul>
     *   <li>Logging: SLF4J's simple logger writes to stderr, at WARN — or INFO with {@code --verbose} —
     *       so that stdout carries only results; netlib's java.util.logging notices about expected
     *       fall-backs are dropped unless verbose.</li>
     *   <li>{@code java.awt.headless=true}: plots are drawn off screen.</li>
     * </ul>
     * A property given to the JVM ({@code -D…}) wins over each of these.
     */
    static void configureProcess(boolean verbose) {
        setIfAbsent("java.awt.headless", "true");
        setIfAbsent(LOG_LEVEL_PROPERTY, verbose ? "info" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        if (!verbose) {
            NATIVE_LIBRARY_LOG.setLevel(Level.SEVERE);
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /**
     * Runs one command line in this JVM, reading {@code -} inputs from {@link System#in}.
     *
     * @param args the arguments, e.g. {@code {"gradient", "--input", "case.json"}}
     * @param out  where results go (stdout)
     * @param err  where errors and help for wrong usage go (stderr)
     * @return the exit code: {@value #EXIT_OK}, {@value #EXIT_USER_ERROR} or {@value #EXIT_INTERNAL_ERROR}
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, System.in, out, err);
    }

    /**
     * Runs one command line in this JVM.
     *
     * @param args  the arguments
     * @param stdin read by {@code --input -}
     * @param out   where results go (stdout)
     * @param err   where errors go (stderr)
     * @return the exit code
     */
    public static int run(String[] args, InputStream stdin, PrintWriter out, PrintWriter err) {
        int code = commandLine(stdin, out, err).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The configured command line: output writers, the exit-code mapping and the error handlers.
     * Commands that need constructor arguments can be added here with
     * {@link CommandLine#addSubcommand(String, Object)}, before {@link #configure}.
     */
    static CommandLine commandLine(InputStream stdin, PrintWriter out, PrintWriter err) {
        return configure(new CommandLine(new KronogradCli(Objects.requireNonNull(stdin, "stdin"))), out, err);
    }

    /**
     * Sets the writers, the error handlers and the parser settings on {@code cmd} and every
     * subcommand it has now (picocli copies them to existing subcommands only: call it again
     * after adding one).
     */
    static CommandLine configure(CommandLine cmd, PrintWriter out, PrintWriter err) {
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setOut(Objects.requireNonNull(out, "out"));
        cmd.setErr(Objects.requireNonNull(err, "err"));
        cmd.setParameterExceptionHandler(new UsageErrorHandler());
        cmd.setExecutionExceptionHandler(new ErrorHandler());
        return cmd;
    }

    /** Where {@code --input -} reads from. */
    InputStream stdin() {
        return stdin;
    }

    /**
     * Whether {@code e} is the user's fault (exit {@value #EXIT_USER_ERROR}, one line, no stack trace):
     * a {@link KronogradException} — the SDK's and the CLI's own errors about input, names, shapes,
     * backends and limits, never a bug. Other exceptions are internal errors.
     */
    static boolean isUserError(Throwable e) {
        return e instanceof KronogradException;
    }

    /** {@code message} on one line: continuation lines joined with "; " (after a colon, with a space). */
    static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        return message.strip().replaceAll(":\\s*\\R\\s*", ": ").replaceAll("\\s*\\R\\s*", "; ");
    }

    /** Prints exceptions thrown by a command: one line for user errors, a short report for internal ones. */
    private static final class ErrorHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
            PrintWriter err = commandLine.getErr();
            if (isUserError(e)) {
                String message = oneLine(e.getMessage());
                err.println(ERROR_PREFIX + (message.isEmpty() ? e.getClass().getSimpleName() : message));
                err.flush();
                return EXIT_USER_ERROR;
            }
            boolean verbose = verbose(parseResult);
            err.println(INTERNAL_ERROR_PREFIX + oneLine(e.toString())
                    + (verbose ? "" : " (run again with --verbose for the stack trace)"));
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return EXIT_INTERNAL_ERROR;
        }

        private static boolean verbose(ParseResult parseResult) {
            for (ParseResult p = parseResult; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
                if (p.hasMatchedOption("--verbose")) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Prints usage errors (unknown options, missing or malformed values) as one line, exit {@value #EXIT_USER_ERROR}. */
    private static final class UsageErrorHandler implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine command = e.getCommandLine();
            String message = oneLine(e.getMessage());
            if (message.startsWith("Error: ")) {
                message = message.substring("Error: ".length()); // picocli's own prefix, e.g. on missing argument groups
            }
            StringBuilder line = new StringBuilder(ERROR_PREFIX).append(message);
            if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
                line.append("; did you mean ").append(String.join(" or ", unmatched.getSuggestions())).append('?');
            }
            line.append(" (see '").append(command.getCommandSpec().qualifiedName()).append(" --help')");
            PrintWriter err = command.getErr();
            err.println(line);
            err.flush();
            return EXIT_USER_ERROR;
        }
    }

    /** {@code --version}: the jar's Implementation-Version and the Java runtime. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = KronogradCli.class.getPackage().getImplementationVersion();
            return new String[] {
                    "kronograd " + (version != null ? version : "(development build, not run from the packaged jar)"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
