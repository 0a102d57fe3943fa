package dev.kronograd.cli;

import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.GradientHandler;
import dev.kronograd.service.GradientService;
import dev.kronograd.service.ServiceLimits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kronograd serve [--port P] [--host H] [limits…]}: runs the HTTP/1.1 JSON service
 * ({@link GradientService}) until the process is asked to stop. Prints
 * {@code listening on http://host:port} on stdout once it accepts connections, and nothing else;
 * logs go to stderr: the service's lifecycle (serving, stopping with the requests in flight,
 * stopped) at INFO always, one access-log line per request with {@code --log-requests}, and the
 * rest (Jetty's own INFO lines, the SDK's) at INFO with {@code --verbose} only.
 *
 * <p>On SIGTERM or SIGINT a JVM shutdown hook stops the service gracefully — the listening socket
 * closes at once, requests in flight finish within {@code --shutdown-grace} — and the process
 * exits with code 0. (A signal makes the JVM's exit status 128 + signal unless a hook halts it
 * with another code; the hook does so, with 0, once the service has stopped.)
 *
 * <p>Also runnable on its own, e.g. {@code java -cp kronograd.jar dev.kronograd.cli.ServeCommand --port 0},
 * with the exit codes of {@link KronogradCli}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves gradients, gradient checks, Hessian products and statistics and the Laplace approximation over HTTP (JSON).",
                "",
                "Endpoints: POST /v1/gradient, POST /v1/check, POST /v1/hessian-vector, POST /v1/hessian-diagonal, "
                        + "POST /v1/hessian-trace, POST /v1/hessian-eigenvalues, POST /v1/laplace (bodies: the case format, docs/case-format.md), "
                        + "GET /v1/activations, GET /v1/backends, GET /health, GET /ready, GET /metrics (Prometheus). Prints 'listening on http://HOST:PORT' once ready; "
                        + "stops gracefully on SIGTERM/SIGINT (exit code 0). Durations: 500ms, 30s, 2m (a bare number is seconds)."})
public final class ServeCommand implements Callable<Integer> {
    private static final ServiceLimits DEFAULTS = ServiceLimits.defaults();
    /** The SLF4J simple logger's level for the access log (one INFO line per request). */
    static final String REQUEST_LOG_PROPERTY = "org.slf4j.simpleLogger.log." + GradientHandler.ACCESS_LOGGER;
    /**
     * The SLF4J simple logger's level for the service's lifecycle logger (serving on, stopping with N in
     * flight, stopped): INFO by default, as an operator expects them on stderr.
     */
    static final String LIFECYCLE_LOG_PROPERTY = "org.slf4j.simpleLogger.log." + GradientService.class.getName();

    @Spec
    private CommandSpec spec;
    @Mixin
    private SdkOptions sdk;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080",
            description = "TCP port; 0 picks a free one, printed on the 'listening on' line (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). 0.0.0.0 listens on every interface: "
                    + "put a reverse proxy with TLS in front before exposing the service.")
    private String host;

    @Option(names = "--max-body-bytes", paramLabel = "N", description = "Largest request body; larger is 413 (default: ${DEFAULT-VALUE}).")
    private int maxBodyBytes = DEFAULTS.maxBodyBytes();

    @Option(names = "--max-parameters", paramLabel = "N", description = "Largest network, in parameters; larger is 422 (default: ${DEFAULT-VALUE}).")
    private int maxParameters = DEFAULTS.maxParameters();

    @Option(names = "--max-batch-size", paramLabel = "N", description = "Most samples per request; more is 422 (default: ${DEFAULT-VALUE}).")
    private int maxBatchSize = DEFAULTS.maxBatchSize();

    @Option(names = "--max-activations", paramLabel = "N",
            description = "Largest batch size × total layer outputs (the working memory of a request); more is 422 (default: ${DEFAULT-VALUE}).")
    private long maxActivations = DEFAULTS.maxActivations();

    @Option(names = "--max-checked-parameters", paramLabel = "N",
            description = "Most parameters one /v1/check perturbs (two forward passes each); more is 422 (default: ${DEFAULT-VALUE}).")
    private int maxCheckedParameters = DEFAULTS.maxCheckedParameters();

    @Option(names = "--max-concurrent", paramLabel = "N",
            description = "Computations running at once (default: ${DEFAULT-VALUE}, the available processors).")
    private int maxConcurrent = DEFAULTS.maxConcurrent();

    @Option(names = "--max-queued", paramLabel = "N",
            description = "Validated requests waiting for a compute thread; beyond that, 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    private int maxQueued = DEFAULTS.maxQueued();

    @Option(names = "--request-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "30s",
            description = "Deadline for a request's computation to start, counted from its arrival; a request still queued then "
                    + "is 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    private Duration requestTimeout;

    @Option(names = "--read-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "30s",
            description = "Closes a connection idle, or stalled while sending its headers or body, for this long; "
                    + "408 where an answer can still be sent (default: ${DEFAULT-VALUE}).")
    private Duration readTimeout;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
            description = "On SIGTERM, how long requests in flight may take to finish (default: ${DEFAULT-VALUE}).")
    private Duration shutdownGrace;

    @Option(names = "--log-requests", description = "Log one access-log line per request (method, path, status, bytes, duration, "
            + "request id) on stderr.")
    private boolean logRequests;

    /** Runs {@code serve} on its own, with {@link KronogradCli}'s logging, error handling and exit codes. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        KronogradCli.configureProcess(Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v"));
        int code = KronogradCli.configure(new CommandLine(new ServeCommand()), out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    @Override
    public Integer call() {
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, was " + port);
        }
        ServiceLimits limits = limits();
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UserInputException("--host " + host + ": unknown host; give an IP address such as 127.0.0.1 or a resolvable name", e);
        }
        if (System.getProperty(REQUEST_LOG_PROPERTY) == null) {
            System.setProperty(REQUEST_LOG_PROPERTY, logRequests ? "info" : "warn"); // the access log is INFO: only when asked
        }
        if (System.getProperty(LIFECYCLE_LOG_PROPERTY) == null) {
            System.setProperty(LIFECYCLE_LOG_PROPERTY, "info"); // serving, stopping, stopped: always (a -D… level wins)
        }
        Kronograd kronograd = sdk.kronograd();
        GradientService service;
        try {
            service = GradientService.start(kronograd, limits, new InetSocketAddress(address, port));
        } catch (BindException e) {
            throw new UserInputException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (is another process using the port? --port 0 picks a free one)", e);
        } catch (IOException e) {
            throw new UserInputException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnSignal(service, out), "kronograd-serve-shutdown"));
        String base = service.uri().toString();
        out.println("listening on " + base.substring(0, base.length() - 1));
        out.flush();
        try {
            service.awaitTermination();
        } catch (InterruptedException e) {
            service.close();
            Thread.currentThread().interrupt();
        }
        return KronogradCli.EXIT_OK;
    }

    /**
     * The shutdown hook: if the JVM is going down while the service runs (SIGTERM, SIGINT), stop
     * it gracefully and exit with 0 — a signal would otherwise leave the exit status 128 + signal.
     */
    private static void stopOnSignal(GradientService service, PrintWriter out) {
        if (!service.isRunning()) {
            return; // stopped already, by whoever ends the process with its own exit code
        }
        service.close();
        out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(KronogradCli.EXIT_OK);
    }

    /** The limits from the options; an out-of-range value is a usage error naming the option. */
    private ServiceLimits limits() {
        try {
            return new ServiceLimits(maxBodyBytes, maxParameters, maxBatchSize, maxActivations, maxCheckedParameters, maxConcurrent,
                    maxQueued, requestTimeout, shutdownGrace, readTimeout);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), optionNames(e.getMessage()));
        }
    }

    /** "maxBodyBytes must be …" → "--max-body-bytes must be …". */
    static String optionNames(String message) {
        Matcher m = Pattern.compile("\\b(maxBodyBytes|maxParameters|maxBatchSize|maxActivations|maxCheckedParameters|maxConcurrent"
                + "|maxQueued|requestTimeout|shutdownGrace|readTimeout)\\b").matcher(message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, "--" + m.group(1).replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, or a bare number of seconds ({@code 1.5}). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");

        @Override
        public Duration convert(String value) {
            Matcher m = FORMAT.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration; write e.g. 500ms, 30s or 2m");
            }
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = switch (unit) {
                case "ms" -> amount;
                case "m" -> amount * 60_000;
                default -> amount * 1000;
            };
            if (millis > Long.MAX_VALUE / 2) {
                throw new CommandLine.TypeConversionException("'" + value + "' is too long a duration");
            }
            return Duration.ofMillis(Math.round(millis));
        }
    }
}
