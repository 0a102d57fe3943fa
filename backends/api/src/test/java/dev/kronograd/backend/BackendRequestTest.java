package dev.kronograd.backend;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendRequestTest {

    private static Properties property(String value) {
        Properties p = new Properties();
        p.setProperty(BackendRequest.PROPERTY, value);
        return p;
    }

    private static final Map<String, String> ENV = Map.of(BackendRequest.ENV, "ejml");

    @Test
    void flagBeatsPropertyBeatsEnvironment() {
        assertEquals(new BackendRequest("netlib-java", "--backend"),
                BackendRequest.resolve("netlib-java", property("netlib-native"), ENV));
        assertEquals(new BackendRequest("netlib-native", "system property kronograd.backend"),
                BackendRequest.resolve(null, property("netlib-native"), ENV));
        assertEquals(new BackendRequest("ejml", "environment variable KRONOGRAD_BACKEND"),
                BackendRequest.resolve(null, new Properties(), ENV));
    }

    @Test
    void nothingSetMeansAuto() {
        BackendRequest request = BackendRequest.resolve(null, new Properties(), Map.of());
        assertTrue(request.isAuto());
        assertEquals("default", request.source());
    }

    @Test
    void blankValuesCountAsUnset() {
        assertEquals("ejml", BackendRequest.resolve("  ", property(""), ENV).name());
        assertTrue(BackendRequest.resolve("", new Properties(), Map.of(BackendRequest.ENV, " ")).isAuto());
    }

    @Test
    void namesAreTrimmedAndLowerCased() {
        assertEquals("netlib-native", BackendRequest.resolve(" Netlib-NATIVE ", new Properties(), Map.of()).name());
        assertTrue(BackendRequest.resolve("AUTO", new Properties(), ENV).isAuto(), "an explicit auto wins over the environment");
    }
}
