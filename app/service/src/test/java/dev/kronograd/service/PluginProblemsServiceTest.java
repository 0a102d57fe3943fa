package dev.kronograd.service;

import dev.kronograd.service.testing.TestCases;
import dev.kronograd.service.testing.ServiceClient;
import dev.kronograd.service.testing.TestPlugins;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kronograd.sdk.Kronograd;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugin folder with broken plugins — a provider whose constructor throws, a second activation
 * named {@code tanh} — next to working ones: the service starts, serves every activation that
 * loaded (the built-in tanh keeps its name), reports both problems on {@code /v1/activations},
 * and answers a request for the broken activation with 422, not 5xx.
 */
class PluginProblemsServiceTest {

    @Test
    void brokenPluginsAreReportedAndTheOthersServed() throws Exception {
        Kronograd sdk = Kronograd.builder().backend("ejml").pluginPath(TestPlugins.folder()).environment(Map.of(), new Properties()).build();
        try (GradientService service = GradientService.start(sdk, ServiceLimits.defaults(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ServiceClient client = new ServiceClient(service);
            JsonNode listing = client.get("/v1/activations").json();

            List<String> problems = new ArrayList<>();
            listing.get("problems").forEach(p -> problems.add(p.asText()));
            assertEquals(2, problems.size(), problems.toString());
            assertTrue(problems.stream().anyMatch(p -> p.contains("broken-constructor.jar") && p.contains(TestPlugins.BROKEN_CLASS)
                    && p.contains("this plugin cannot start")), problems.toString());
            assertTrue(problems.stream().anyMatch(p -> p.contains("duplicate-tanh.jar") && p.contains(TestPlugins.DUPLICATE_CLASS)
                    && p.contains("tanh")), problems.toString());

            List<String> names = listing.get("activations").findValuesAsText("name");
            assertTrue(names.contains(TestPlugins.HALF), names.toString());
            assertFalse(names.contains("broken"), names.toString());
            for (JsonNode a : listing.get("activations")) {
                if (a.get("name").asText().equals("tanh")) {
                    assertEquals("built-in", a.get("source").asText(), "the first tanh found wins: " + a);
                }
            }

            ServiceClient.Reply half = client.post("/v1/gradient", TestCases.single(TestPlugins.HALF));
            assertEquals(200, half.status(), half::toString);
            assertEquals(TestCases.expectedGradient(sdk, TestCases.single(TestPlugins.HALF)), half.body());
            ServiceClient.Reply tanh = client.post("/v1/gradient", TestCases.twoLayers());
            assertEquals(TestCases.expectedGradient(sdk, TestCases.twoLayers()), tanh.body());

            ServiceClient.Reply broken = client.post("/v1/gradient", TestCases.single("broken"));
            assertEquals(422, broken.status(), broken::toString);
            assertEquals("layers[0].activation", broken.json().get("field").asText());
            String error = broken.json().get("error").asText();
            assertTrue(error.contains("unknown activation 'broken'") && error.contains("plugin problems"), error);
        }
    }
}
