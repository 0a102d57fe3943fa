package dev.kronograd.backend;

import dev.kronograd.core.KronogradException;
import java.util.List;

/** A backend name that no discovered provider has; the message lists the known names. */
public class UnknownBackendException extends KronogradException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> known;

    /**
     * @param request the request naming an unknown backend
     * @param known   the names that would have worked, {@code auto} first
     */
    public UnknownBackendException(BackendRequest request, List<String> known) {
        super("unknown backend '" + request.name() + "' (from " + request.source() + "); known backends: "
                + String.join(", ", known));
        this.known = List.copyOf(known);
    }

    /** The names that would have worked, {@code auto} first. */
    public List<String> known() {
        return known;
    }
}
