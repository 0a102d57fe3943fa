package dev.kronograd.core.testing;

import java.lang.management.ManagementFactory;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which of the two JVM configurations a test run has. {@code ./kronograd} starts the JVM with
 * {@code --add-modules jdk.incubator.vector} (netlib's VectorBLAS, core's vector outer product);
 * {@code java -jar} and embedding hosts usually do not (Java11BLAS, the scalar kernel). The build runs
 * the tests of core, the netlib backend, the SDK, the service and the CLI in both: surefire's
 * {@code default-test} with the module and {@code without-vector-module} without it, each telling its
 * JVM which through {@value #PROPERTY} ({@code present} or {@code absent}; see the parent pom's
 * {@code kronograd.test.withVectorModule}).
 */
public final class VectorModuleConfiguration {

    /** The incubating Vector API's module. */
    public static final String MODULE = "jdk.incubator.vector";

    /** The system property through which the build says which configuration a test run has. */
    public static final String PROPERTY = "kronograd.test.vectorModule";

    private VectorModuleConfiguration() {
    }

    /** Whether {@value #MODULE} is in this JVM's boot layer. */
    public static boolean present() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /**
     * What the build's surefire execution promised for this run; empty outside the build (an IDE),
     * where any configuration is fine.
     *
     * @throws IllegalStateException if {@value #PROPERTY} is neither {@code present} nor {@code absent}
     */
    public static Optional<Boolean> expected() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            return Optional.empty();
        }
        return switch (value) {
            case "present" -> Optional.of(true);
            case "absent" -> Optional.of(false);
            default -> throw new IllegalStateException(PROPERTY + " must be present or absent, not '" + value + "'");
        };
    }

    /** Fails unless {@value #MODULE} is in the boot layer exactly when the build said it would be. */
    public static void assertAsConfigured() {
        expected().ifPresent(expected -> assertEquals(expected, present(), () -> PROPERTY + "=" + System.getProperty(PROPERTY)
                + " but " + MODULE + " is " + (present() ? "" : "not ") + "in the boot layer; JVM arguments: "
                + ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    /** The simple class name of netlib's pure-Java BLAS this JVM gets: VectorBLAS with the module, Java11BLAS without. */
    public static String netlibJavaBlas() {
        return present() ? "VectorBLAS" : "Java11BLAS";
    }
}
