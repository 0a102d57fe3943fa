package dev.kronograd.service;

import dev.kronograd.service.testing.TestCases;
import dev.kronograd.service.testing.TestPlugins;
import dev.kronograd.service.testing.ServiceClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.core.testing.VectorModuleConfiguration;
import dev.kronograd.sdk.Kronograd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoints answering valid requests: gradients equal to the in-process ones byte for byte,
 * gradient checks that pass, Hessian- and Gauss–Newton-vector products equal to
 * {@code Curvature}'s {@code hessian()} and {@code ggn()} products and symmetric, their diagonals
 * and traces equal to the operators' {@code diagonal()} and {@code trace()}, the listings, HEAD, request ids — and an internal fault
 * (an activation that throws) answered 500 with a request id, after which the service still
 * serves.
 */
class GradientServiceTest {
    private static final double SYMMETRY_TOLERANCE = 1e-12;
    private static final double TRACE_TOLERANCE = 1e-12;

    private static Kronograd sdk;
    private static GradientService service;
    private static ServiceClient client;

    @BeforeAll
    static void start() throws Exception {
        sdk = Kronograd.builder().backend("ejml").pluginPath(TestPlugins.folder()).environment(Map.of(), new Properties()).build();
        service = GradientService.start(sdk, ServiceLimits.defaults(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new ServiceClient(service);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void gradientEqualsTheInProcessResultByteForByte() {
        Random rnd = new Random(5);
        for (int i = 0; i < 20; i++) {
            ObjectNode c = TestCases.random(rnd, 3, 6, 4);
            ServiceClient.Reply reply = client.post("/v1/gradient", c);
            assertEquals(200, reply.status(), reply::toString);
            assertEquals("application/json; charset=utf-8", reply.header("Content-Type"));
            assertEquals(TestCases.expectedGradient(sdk, c), reply.body());
        }
    }

    @Test
    void everyAnswerHasItsOwnRequestId() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String id = client.get("/health").header("X-Request-Id");
            assertNotNull(id);
            assertTrue(ids.add(id), "duplicate request id " + id);
        }
    }

    @Test
    void checkOfTheTwoLayerCasePasses() {
        ServiceClient.Reply reply = client.post("/v1/check", TestCases.twoLayers());
        assertEquals(200, reply.status(), reply::toString);
        JsonNode report = reply.json();
        assertEquals(17, report.get("parameters").asInt());
        assertEquals(17, report.get("checked").asInt(), "P ≤ the limit: every parameter is checked");
        assertTrue(report.get("passed").asBoolean(), reply::toString);
        assertTrue(report.get("max_rel_error").asDouble() < 1e-6, reply::toString);
        assertTrue(report.get("worst_parameter_field").asText().startsWith("layers["), reply::toString);
        assertEquals(1, report.get("seed").asLong());
    }

    @Test
    void checkHonoursItsOptions() {
        ObjectNode request = TestCases.twoLayers();
        request.put("max_parameters", 5).put("seed", 7).put("rtol", 0.5).put("atol", 0);
        JsonNode report = client.post("/v1/check", request).json();
        assertEquals(5, report.get("checked").asInt());
        assertEquals(7, report.get("seed").asLong());
        assertEquals(0.5, report.get("rtol").asDouble());
        assertEquals(0.0, report.get("atol").asDouble());
    }

    @Test
    void hessianAndGaussNewtonVectorProductsEqualCurvatures() {
        Random rnd = new Random(11);
        for (int i = 0; i < 10; i++) {
            ObjectNode c = TestCases.random(rnd, 3, 5, 3);
            ObjectNode v = TestCases.randomVector(sdk, c, rnd);
            for (boolean ggn : new boolean[] {false, true}) {
                ServiceClient.Reply reply = client.post("/v1/hessian-vector", TestCases.withVector(c, v, ggn));
                assertEquals(200, reply.status(), reply::toString);
                assertEquals(TestCases.expectedHessianVector(sdk, c, v, ggn), reply.body());
            }
        }
    }

    @Test
    void hessianAndGaussNewtonDiagonalsAndTracesEqualCurvatures() {
        Random rnd = new Random(13);
        for (int i = 0; i < 10; i++) {
            ObjectNode c = TestCases.random(rnd, 3, 5, 3);
            for (boolean ggn : new boolean[] {false, true}) {
                ServiceClient.Reply diagonal = client.post("/v1/hessian-diagonal", TestCases.withGgn(c, ggn));
                assertEquals(200, diagonal.status(), diagonal::toString);
                assertEquals(TestCases.expectedHessianDiagonal(sdk, c, ggn), diagonal.body());
                ServiceClient.Reply trace = client.post("/v1/hessian-trace", TestCases.withGgn(c, ggn));
                assertEquals(200, trace.status(), trace::toString);
                assertEquals(TestCases.expectedHessianTrace(sdk, c, ggn), trace.body());
            }
        }
    }

    @Test
    void anExplicitGgnFalseIsTheHessian() {
        ObjectNode request = TestCases.twoLayers().put("ggn", false);
        assertEquals(TestCases.expectedHessianDiagonal(sdk, TestCases.twoLayers(), false),
                client.post("/v1/hessian-diagonal", request).body());
        assertEquals(TestCases.expectedHessianTrace(sdk, TestCases.twoLayers(), false),
                client.post("/v1/hessian-trace", request).body());
    }

    @Test
    void theTraceIsTheSumOfTheDiagonal() {
        Random rnd = new Random(17);
        for (int i = 0; i < 5; i++) {
            ObjectNode c = TestCases.random(rnd, 3, 5, 3);
            for (boolean ggn : new boolean[] {false, true}) {
                JsonNode diagonal = client.post("/v1/hessian-diagonal", TestCases.withGgn(c, ggn)).json().get("diagonal");
                double trace = client.post("/v1/hessian-trace", TestCases.withGgn(c, ggn)).json().get("trace").asDouble();
                double sum = numbers(diagonal).stream().mapToDouble(Double::doubleValue).sum();
                assertEquals(sum, trace, TRACE_TOLERANCE * Math.max(1, Math.abs(sum)), "tr = Σ diag (summed in another order), ggn " + ggn);
            }
        }
    }

    @Test
    void theHessianIsSymmetricThroughTheService() {
        Random rnd = new Random(3);
        ObjectNode c = TestCases.twoLayers();
        ObjectNode u = TestCases.randomVector(sdk, c, rnd);
        ObjectNode v = TestCases.randomVector(sdk, c, rnd);
        JsonNode hu = client.post("/v1/hessian-vector", TestCases.withVector(c, u, false)).json().get("product");
        JsonNode hv = client.post("/v1/hessian-vector", TestCases.withVector(c, v, false)).json().get("product");
        double uHv = dot(u.get("gradients"), hv);
        double vHu = dot(v.get("gradients"), hu);
        assertEquals(uHv, vHu, SYMMETRY_TOLERANCE * Math.max(1, Math.abs(uHv)), "⟨u, Hv⟩ = ⟨Hu, v⟩");
    }

    @Test
    void theGradientAnswerIsAValidVector() {
        ObjectNode c = TestCases.twoLayers();
        JsonNode gradient = client.post("/v1/gradient", c).json(); // {"loss", "outputs", "gradients"}: extra fields are ignored
        ServiceClient.Reply reply = client.post("/v1/hessian-vector", TestCases.withVector(c, gradient, false));
        assertEquals(200, reply.status(), reply::toString);
        ObjectNode onlyGradients = TestCases.JSON.createObjectNode();
        onlyGradients.set("gradients", gradient.get("gradients"));
        assertEquals(TestCases.expectedHessianVector(sdk, c, onlyGradients, false), reply.body());
    }

    @Test
    void listingsAndHealth() {
        JsonNode activations = client.get("/v1/activations").json();
        List<String> names = activations.get("activations").findValuesAsText("name");
        assertTrue(names.containsAll(List.of("tanh", "sigmoid", "identity", TestPlugins.HALF, TestPlugins.SLEEPY)), names.toString());
        JsonNode backends = client.get("/v1/backends").json();
        assertEquals("ejml", backends.get("selected").asText());
        assertTrue(backends.get("backends").findValuesAsText("name").contains("ejml"));
        assertEquals("{\"status\":\"ok\"}\n", client.get("/health").body());
        ServiceClient.Reply head = client.send(client.request("/health").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.status());
        assertEquals("", head.body());
    }

    /**
     * The build runs the service's tests with jdk.incubator.vector (as ./kronograd serve runs) and without it (as a
     * host may): each run has the configuration it claims, and /v1/backends names the pure-Java BLAS it gets.
     */
    @Test
    void backendsNamesThePureJavaBlasOfThisJvm() {
        VectorModuleConfiguration.assertAsConfigured();
        JsonNode backends = client.get("/v1/backends").json().get("backends");
        JsonNode netlibJava = null;
        for (JsonNode backend : backends) {
            if (backend.get("name").asText().equals("netlib-java")) {
                netlibJava = backend;
            }
        }
        assertNotNull(netlibJava, backends::toString);
        String detail = netlibJava.get("detail").asText();
        assertTrue(detail.startsWith("available: netlib " + VectorModuleConfiguration.netlibJavaBlas() + " (pure Java)"), detail);
    }

    @Test
    void anInternalFaultIs500WithALoggedRequestIdAndTheServiceGoesOn() {
        ServiceClient.Reply reply = client.post("/v1/gradient", TestCases.single(TestPlugins.EXPLODES));
        assertEquals(500, reply.status(), reply::toString);
        JsonNode body = reply.json();
        String id = reply.header("X-Request-Id");
        assertEquals(id, body.get("request_id").asText());
        assertTrue(body.get("error").asText().contains(id), reply::toString);
        assertFalse(reply.body().contains("IllegalStateException") || reply.body().contains("\tat "), "no exception details leak: " + reply);
        ServiceClient.Reply after = client.post("/v1/gradient", TestCases.twoLayers());
        assertEquals(200, after.status());
        assertEquals(TestCases.expectedGradient(sdk, TestCases.twoLayers()), after.body());
    }

    @Test
    void theServiceDescribesItself() {
        assertTrue(service.isRunning());
        assertEquals("http://127.0.0.1:" + service.port() + "/", service.uri().toString());
        assertTrue(service.port() > 0, "port 0 picked a free port");
    }

    private static double dot(JsonNode a, JsonNode b) {
        double sum = 0;
        for (int k = 0; k < a.size(); k++) {
            for (String part : List.of("weights", "bias")) {
                List<Double> x = numbers(a.get(k).get(part));
                List<Double> y = numbers(b.get(k).get(part));
                for (int i = 0; i < x.size(); i++) {
                    sum += x.get(i) * y.get(i);
                }
            }
        }
        return sum;
    }

    private static List<Double> numbers(JsonNode node) {
        List<Double> out = new java.util.ArrayList<>();
        if (node.isNumber()) {
            out.add(node.asDouble());
        } else {
            node.forEach(child -> out.addAll(numbers(child)));
        }
        return out;
    }
}
