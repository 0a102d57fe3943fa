package dev.kronograd.activations;

import dev.kronograd.core.KronogradException;
import java.util.List;

/**
 * Thrown by {@link ActivationRegistry#get(String)} for a name no loaded activation has. The
 * message lists the available names, sorted, and any plugin problems (a plugin that failed to
 * load is the usual reason a name is missing).
 */
public final class UnknownActivationException extends KronogradException {
    private static final long serialVersionUID = 1L;

    /** The name that was asked for. */
    private final String name;
    /** The names that are available, sorted. */
    private final transient List<String> available;

    /**
     * @param name the requested name
     * @param available the available names, sorted
     * @param problems the registry's plugin problems, mentioned in the message
     */
    public UnknownActivationException(String name, List<String> available, List<PluginProblem> problems) {
        super(message(name, available, problems));
        this.name = name;
        this.available = List.copyOf(available);
    }

    private static String message(String name, List<String> available, List<PluginProblem> problems) {
        StringBuilder sb = new StringBuilder("unknown activation '").append(name).append("'; available: ")
                .append(String.join(", ", available));
        if (!problems.isEmpty()) {
            sb.append(". ").append(problems.size()).append(problems.size() == 1 ? " plugin problem" : " plugin problems")
                    .append(" while loading activations:");
            for (PluginProblem p : problems) {
                sb.append("\n  ").append(p);
            }
        }
        return sb.toString();
    }

    /** The requested name (may be null if null was asked for). */
    public String name() {
        return name;
    }

    /** The available names, sorted. */
    public List<String> available() {
        return available;
    }
}
