package dev.kronograd.cli.train;

/** Puts AWT in headless mode for off-screen drawing, unless the application already chose. */
final class Headless {
    private static final String PROPERTY = "java.awt.headless";

    private Headless() {
    }

    /** Sets {@code java.awt.headless=true} if it is unset; call before any AWT toolkit starts. */
    static void ensure() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }
}
