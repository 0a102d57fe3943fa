package dev.kronograd.activations;

import dev.kronograd.core.KronogradException;
import java.util.List;

/**
 * Thrown by {@link ActivationRegistry#requireNoProblems()} and by a strict
 * {@link ActivationRegistry.Builder#build()} when loading activations ran into problems; the
 * message lists all of them, one per line.
 */
public final class PluginProblemsException extends KronogradException {
    private static final long serialVersionUID = 1L;

    /** The problems, in the order they occurred. */
    private final transient List<PluginProblem> problems;

    /** @param problems at least one problem */
    public PluginProblemsException(List<PluginProblem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(List<PluginProblem> problems) {
        StringBuilder sb = new StringBuilder().append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems").append(" while loading activations:");
        for (PluginProblem p : problems) {
            sb.append("\n  ").append(p);
            if (p.cause() != null) {
                sb.append(" (").append(p.cause()).append(')');
            }
        }
        return sb.toString();
    }

    /** The problems, in the order they occurred. */
    public List<PluginProblem> problems() {
        return problems;
    }
}
