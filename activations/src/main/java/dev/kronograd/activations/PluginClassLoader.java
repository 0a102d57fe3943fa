package dev.kronograd.activations;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Enumeration;

/**
 * The class loader of one plugin jar. Classes and ordinary resources delegate to the SDK's loader
 * first, as usual; service configuration files ({@code META-INF/services/...}) are looked up in
 * the jar alone, so that a {@link java.util.ServiceLoader} over this loader reports only the jar's
 * own providers and its errors are the jar's own.
 */
final class PluginClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    PluginClassLoader(Path jar, URL url, ClassLoader parent) {
        super("kronograd-plugin:" + jar.getFileName(), new URL[] {url}, parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return name.startsWith("META-INF/services/") ? findResources(name) : super.getResources(name);
    }
}
