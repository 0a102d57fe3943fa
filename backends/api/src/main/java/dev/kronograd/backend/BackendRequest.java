package dev.kronograd.backend;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Which backend the user asked for, and where that came from. In precedence order: the CLI flag
 * {@code --backend}, the system property {@value #PROPERTY}, the environment variable
 * {@value #ENV}; otherwise {@value #AUTO}. Blank values count as unset; names are trimmed and
 * lower-cased.
 *
 * @param name   the requested backend name, or {@value #AUTO}
 * @param source where the name came from, for messages (e.g. "--backend")
 */
public record BackendRequest(String name, String source) {

    /** The name meaning "the fastest available backend". */
    public static final String AUTO = "auto";
    /** The system property naming a backend. */
    public static final String PROPERTY = "kronograd.backend";
    /** The environment variable naming a backend. */
    public static final String ENV = "KRONOGRAD_BACKEND";
    /** The CLI flag naming a backend. */
    public static final String FLAG = "--backend";

    public BackendRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        name = name.trim().toLowerCase(Locale.ROOT);
    }

    /** {@value #AUTO}, by default. */
    public static BackendRequest auto() {
        return new BackendRequest(AUTO, "default");
    }

    /**
     * Resolves the request from its three inputs, passed explicitly so that callers (and tests)
     * decide what the environment is: {@code resolve(flag, System.getProperties(), System.getenv())}.
     *
     * @param flagValue  the value of {@code --backend}, or null when the flag was not given
     * @param properties system properties (read: {@value #PROPERTY})
     * @param env        environment variables (read: {@value #ENV})
     */
    public static BackendRequest resolve(String flagValue, Properties properties, Map<String, String> env) {
        if (isSet(flagValue)) {
            return new BackendRequest(flagValue, FLAG);
        }
        String property = properties.getProperty(PROPERTY);
        if (isSet(property)) {
            return new BackendRequest(property, "system property " + PROPERTY);
        }
        String variable = env.get(ENV);
        if (isSet(variable)) {
            return new BackendRequest(variable, "environment variable " + ENV);
        }
        return auto();
    }

    /** Whether this asks for the fastest available backend rather than a named one. */
    public boolean isAuto() {
        return name.equals(AUTO);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
