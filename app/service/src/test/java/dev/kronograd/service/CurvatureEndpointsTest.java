package dev.kronograd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.service.testing.ServiceClient;
import dev.kronograd.service.testing.TestCases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/hessian-eigenvalues} and {@code POST /v1/laplace}: answers byte for byte those of
 * {@code kronograd hessian --eigenvalues} and {@code kronograd laplace} (computed in-process with the
 * same SDK calls and writer) on random cases of all three losses, checked against independent
 * quantities (Σ of all eigenvalues = the exact trace; the predictive mean = the network's outputs),
 * and the limits of each: a dense Laplace over the service's limit, Lanczos vectors over theirs.
 */
class CurvatureEndpointsTest {
    private static Kronograd sdk;
    private static GradientService service;
    private static ServiceClient client;

    @BeforeAll
    static void start() throws Exception {
        sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
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
    void eigenvaluesEqualTheCommandLinesOnRandomCasesOfEveryLoss() {
        Random rnd = new Random(19);
        for (int i = 0; i < 9; i++) {
            ObjectNode c = TestCases.random(rnd, 3, 4, 3);
            if (i % 3 == 2) {
                c = TestCases.asSigmoid(c);
            }
            int p = parameters(c);
            for (boolean ggn : new boolean[] {false, true}) {
                for (int k : new int[] {1, Math.min(3, p)}) {
                    ObjectNode request = TestCases.withGgn(c, ggn).put("k", k);
                    ServiceClient.Reply reply = client.post("/v1/hessian-eigenvalues", request);
                    assertEquals(200, reply.status(), reply::toString);
                    assertEquals(TestCases.expectedHessianEigenvalues(sdk, c, k, ggn), reply.body(), "case " + i + ", k " + k + ", ggn " + ggn);
                    JsonNode values = reply.json().get("eigenvalues");
                    assertEquals(k, values.size());
                    for (int j = 1; j < k; j++) {
                        assertTrue(values.get(j - 1).asDouble() >= values.get(j).asDouble(), "descending: " + values);
                    }
                }
            }
        }
    }

    @Test
    void allEigenvaluesSumToTheExactTrace() {
        ObjectNode c = TestCases.twoLayers(); // P = 17
        for (boolean ggn : new boolean[] {false, true}) {
            JsonNode answer = client.post("/v1/hessian-eigenvalues", TestCases.withGgn(c, ggn).put("k", 17)).json();
            double sum = 0;
            for (JsonNode v : answer.get("eigenvalues")) {
                sum += v.asDouble();
            }
            double trace = client.post("/v1/hessian-trace", TestCases.withGgn(c, ggn)).json().get("trace").asDouble();
            assertEquals(trace, sum, 1e-8 * Math.max(1, Math.abs(trace)), "Σ λ = tr, ggn " + ggn + ": " + answer);
        }
    }

    @Test
    void laplaceEqualsTheCommandLinesForEveryStructureAndLoss() {
        Random rnd = new Random(23);
        String[] structures = {"full", "diag", "kron", "ekfac", "last-layer"};
        for (int i = 0; i < 6; i++) {
            ObjectNode c = TestCases.random(rnd, 2, 4, 3);
            if (i % 3 == 2) {
                c = TestCases.asSigmoid(c);
            }
            Double sigma = c.get("loss").get("type").asText().equals("squared-error") ? 0.7 : null;
            double[][] predict = randomInputs(rnd, c.get("inputs").get(0).size(), 2);
            for (String structure : structures) {
                boolean tune = structure.equals(structures[i % structures.length]);
                ObjectNode request = (ObjectNode) c.deepCopy();
                request.put("structure", structure).put("prior_precision", 0.5);
                if (sigma != null) {
                    request.put("sigma_noise", sigma);
                }
                if (tune) {
                    request.put("tune_prior", true);
                }
                ArrayNode inputs = request.putObject("predict").putArray("inputs");
                for (double[] x : predict) {
                    ArrayNode row = inputs.addArray();
                    for (double v : x) {
                        row.add(v);
                    }
                }
                ServiceClient.Reply reply = client.post("/v1/laplace", request);
                assertEquals(200, reply.status(), reply::toString);
                assertEquals(TestCases.expectedLaplace(sdk, c, structure, 0.5, sigma, predict, tune), reply.body(),
                        "case " + i + " (" + c.get("loss").get("type") + "), " + structure + (tune ? ", tuned" : ""));
            }
        }
    }

    @Test
    void withoutPredictTheAnswerIsTheLogMarginalLikelihoodAlone() {
        ObjectNode request = TestCases.twoLayers().put("structure", "diag").put("prior_precision", 2.0).put("sigma_noise", 0.5);
        ServiceClient.Reply reply = client.post("/v1/laplace", request);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(TestCases.expectedLaplace(sdk, TestCases.twoLayers(), "diag", 2.0, 0.5, null, false), reply.body());
        assertEquals("[log_marginal_likelihood]", names(reply.json()));
    }

    @Test
    void thePredictiveMeanAtTheCaseInputsIsTheNetworksOutput() {
        ObjectNode c = TestCases.twoLayers();
        ObjectNode request = (ObjectNode) c.deepCopy();
        request.put("structure", "full").put("prior_precision", 1.0).put("sigma_noise", 0.5);
        request.putObject("predict").set("inputs", c.get("inputs").deepCopy());
        JsonNode predictive = client.post("/v1/laplace", request).json().get("predictive");
        JsonNode outputs = client.post("/v1/gradient", c).json().get("outputs");
        assertEquals(outputs.size(), predictive.get("mean").size());
        for (int s = 0; s < outputs.size(); s++) {
            for (int j = 0; j < outputs.get(s).size(); j++) {
                assertEquals(outputs.get(s).get(j).asDouble(), predictive.get("mean").get(s).get(j).asDouble(), 1e-14);
                assertTrue(predictive.get("variance").get(s).get(j).asDouble() > 0, "a positive functional variance");
            }
        }
    }

    @Test
    void aDenseLaplaceOverTheLimitIsRefusedNamingStructureAndTheLimit() {
        ObjectNode big = BadRequestCatalogueTest.wide(1, 1, 400); // P = 1201
        big.put("prior_precision", 1.0).put("sigma_noise", 1.0);
        ServiceClient.Reply full = client.post("/v1/laplace", big.deepCopy().put("structure", "full"));
        assertEquals(422, full.status(), full::toString);
        assertEquals("structure", full.json().get("field").asText());
        assertEquals("structure: full materialises a P×P matrix, but P = 1201 exceeds this service's limit of 1000 parameters for the dense "
                + "structures; use diag, kron or ekfac (or last-layer)", full.json().get("error").asText());
        ServiceClient.Reply lastLayer = client.post("/v1/laplace", big.deepCopy().put("structure", "last-layer"));
        assertEquals(200, lastLayer.status(), "the last layer has 401 parameters: " + lastLayer);
        ServiceClient.Reply kron = client.post("/v1/laplace", big.deepCopy().put("structure", "kron"));
        assertEquals(200, kron.status(), kron::toString);
    }

    @Test
    void lanczosVectorsOverTheLimitAreRefusedNamingKAndTheLimit() {
        ObjectNode big = BadRequestCatalogueTest.wide(1, 1, 60_000); // P = 180001: 50 vectors are 9000050 numbers
        ServiceClient.Reply reply = client.post("/v1/hessian-eigenvalues", big.put("k", 1));
        assertEquals(422, reply.status(), reply::toString);
        assertEquals("k", reply.json().get("field").asText());
        assertEquals("k: k = 1 takes up to 50 Lanczos vectors of P = 180001 numbers (9000050); this service keeps at most 8000000 numbers "
                + "in Lanczos vectors (ask for fewer eigenvalues, or send a smaller network)", reply.json().get("error").asText());
    }

    private static int parameters(JsonNode c) {
        int p = 0;
        for (JsonNode layer : c.get("layers")) {
            p += layer.get("weights").size() * layer.get("weights").get(0).size() + layer.get("bias").size();
        }
        return p;
    }

    private static double[][] randomInputs(Random rnd, int n, int count) {
        double[][] x = new double[count][n];
        for (double[] row : x) {
            for (int i = 0; i < n; i++) {
                row[i] = rnd.nextGaussian();
            }
        }
        return x;
    }

    private static String names(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.toString();
    }
}
