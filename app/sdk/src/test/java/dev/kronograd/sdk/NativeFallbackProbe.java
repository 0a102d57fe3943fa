package dev.kronograd.sdk;

import dev.kronograd.backend.BackendUnavailableException;
import dev.kronograd.backend.BackendRequest;
import dev.kronograd.backend.SelectedBackend;
import dev.kronograd.backend.BackendSelector;
import java.util.Map;
import java.util.Properties;

/**
 * Child-JVM side of {@link NativeFallbackTest}: what selection does under this JVM's
 * {@code -Ddev.ludovic.netlib.blas.*} settings, reported as key=value lines on stdout (the
 * protocol with the parent test, hence System.out).
 */
public final class NativeFallbackProbe {

    private NativeFallbackProbe() {
    }

    public static void main(String[] args) {
        BackendSelector selector = BackendSelector.discover(NativeFallbackProbe.class.getClassLoader());
        selector.list().forEach(s -> report("list." + s.name(), s.availability()));

        SelectedBackend auto = selector.select(BackendRequest.resolve(null, new Properties(), Map.of()));
        report("auto", auto.name());
        report("autoReason", auto.reason());

        try {
            Properties properties = new Properties();
            properties.setProperty(BackendRequest.PROPERTY, "netlib-native");
            selector.select(BackendRequest.resolve(null, properties, Map.of()));
            report("explicit", "selected");
        } catch (BackendUnavailableException e) {
            report("explicit", e.getMessage());
            report("explicitCause", e.getCause() == null ? "none" : e.getCause().getClass().getName());
        }
    }

    private static void report(String key, Object value) {
        System.out.println(key + "=" + String.valueOf(value).replace('\n', ' '));
    }
}
