package dev.kronograd.sdk.archviolation.cycle.second;

import dev.kronograd.sdk.archviolation.cycle.first.First;

/** The other end of a package cycle: second → first → second. Never run. */
public final class Second {
    private Second() {
    }

    static Class<?> other() {
        return First.class;
    }
}
