package dev.kronograd.sdk.archviolation.cycle.first;

import dev.kronograd.sdk.archviolation.cycle.second.Second;

/** One end of a package cycle: first → second → first. Never run. */
public final class First {
    private First() {
    }

    static Class<?> other() {
        return Second.class;
    }
}
