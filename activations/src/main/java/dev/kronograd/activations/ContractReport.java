package dev.kronograd.activations;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The outcome of {@link ActivationContract#verify(Activation)}: how many checks ran and which
 * failed. Immutable. Works with any test framework: {@link #assertPassed()} throws an
 * {@link AssertionError} whose message is {@link #toString()}.
 */
public final class ContractReport {
    /** How many failures {@link #toString()} lists before summarising the rest. */
    private static final int LISTED = 20;

    private final String activationName;
    private final String implementationClass;
    private final int checks;
    private final List<Failure> failures;

    ContractReport(String activationName, String implementationClass, int checks, List<Failure> failures) {
        this.activationName = activationName;
        this.implementationClass = Objects.requireNonNull(implementationClass);
        this.checks = checks;
        this.failures = List.copyOf(failures);
    }

    /**
     * One failed check.
     *
     * @param check what was checked, e.g. {@code "derivative"}, {@code "bulk derivatives"},
     *        {@code "finite value"}, {@code "name"}
     * @param z the input, or NaN when the check has none (the name checks)
     * @param expected the expected value (for derivatives: the finite-difference estimate), or NaN
     * @param actual the value the activation returned, or NaN
     * @param detail a sentence explaining the failure
     */
    public record Failure(String check, double z, double expected, double actual, String detail) {
        /** {@code "check at z = ...: expected ..., got ... (detail)"}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(check);
            if (!Double.isNaN(z)) {
                sb.append(" at z = ").append(z);
            }
            if (!Double.isNaN(expected)) {
                sb.append(": expected ").append(expected).append(", got ").append(actual);
            } else if (!Double.isNaN(actual)) {
                sb.append(": got ").append(actual);
            }
            return sb.append(" (").append(detail).append(')').toString();
        }
    }

    /**
     * The order of {@link #failures()}: by kind of check (alphabetically), then by |z| (checks
     * without a point last), then by z, so that a report reads the same on every run and the
     * smallest failing input of each kind comes first.
     */
    static final Comparator<Failure> FAILURE_ORDER = Comparator.comparing(Failure::check)
            .thenComparingDouble(f -> Double.isNaN(f.z()) ? Double.POSITIVE_INFINITY : Math.abs(f.z()))
            .thenComparingDouble(Failure::z);

    /** True if every check passed. */
    public boolean passed() {
        return failures.isEmpty();
    }

    /** The failed checks, sorted by kind of check, then by |z|. */
    public List<Failure> failures() {
        return failures;
    }

    /**
     * How many checks failed, by kind of check ({@link Failure#check()}), in alphabetical order;
     * empty when the report passed.
     */
    public Map<String, Integer> failureCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Failure f : failures) {
            counts.merge(f.check(), 1, Integer::sum);
        }
        return Collections.unmodifiableMap(counts);
    }

    /** How many individual checks ran (points × properties). */
    public int checks() {
        return checks;
    }

    /** The activation's name as reported (may be null or invalid if the name check failed). */
    public String activationName() {
        return activationName;
    }

    /** The implementation class's name. */
    public String implementationClass() {
        return implementationClass;
    }

    /**
     * Returns this report if it passed.
     *
     * @throws AssertionError with {@link #toString()} as message otherwise
     */
    public ContractReport assertPassed() {
        if (!passed()) {
            throw new AssertionError(toString());
        }
        return this;
    }

    /**
     * A readable summary: the number of failures by kind of check, then the first 20 failures in
     * the order of {@link #failures()}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("activation contract for '").append(activationName).append("' (")
                .append(implementationClass).append("): ");
        if (passed()) {
            return sb.append("PASSED, ").append(checks).append(" checks").toString();
        }
        sb.append("FAILED ").append(failures.size()).append(" of ").append(checks).append(" checks (");
        String separator = "";
        for (Map.Entry<String, Integer> count : failureCounts().entrySet()) {
            sb.append(separator).append(count.getKey()).append(": ").append(count.getValue());
            separator = ", ";
        }
        sb.append(')');
        for (int i = 0; i < Math.min(LISTED, failures.size()); i++) {
            sb.append("\n  ").append(failures.get(i));
        }
        if (failures.size() > LISTED) {
            sb.append("\n  ... and ").append(failures.size() - LISTED).append(" more");
        }
        return sb.toString();
    }
}
