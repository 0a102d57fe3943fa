package dev.kronograd.service;

import dev.kronograd.service.testing.TestCases;
import dev.kronograd.service.testing.ServiceClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.sdk.Kronograd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A catalogue of bad requests — wrong paths and methods, content types, bodies that are not
 * JSON, JSON that is not a case, shapes that do not fit, unknown names, limits exceeded, bad
 * Hessian-vector, Hessian-diagonal, Hessian-trace, Hessian-eigenvalues, Laplace and check options — each answered with the
 * right 4xx status and a JSON body
 * {@code {"error", "field"}} whose field is the JSON path of the offending value and whose
 * message says what is wrong. Afterwards the service still answers correctly.
 */
class BadRequestCatalogueTest {
    /** Small limits, so that exceeding them takes small requests. */
    static final ServiceLimits LIMITS = ServiceLimits.defaults().withMaxBodyBytes(64 * 1024).withMaxParameters(500).withMaxBatchSize(8)
            .withMaxActivations(200).withMaxCheckedParameters(20).withConcurrency(2, 4);

    private static Kronograd sdk;
    private static GradientService service;
    private static ServiceClient client;

    /**
     * One kind of bad request.
     *
     * @param name    what is wrong
     * @param send    sends it
     * @param status  the expected status
     * @param field   the expected {@code "field"}
     * @param message a part the {@code "error"} message must contain
     */
    record BadRequest(String name, Function<ServiceClient, ServiceClient.Reply> send, int status, String field, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        sdk = Kronograd.builder().backend("ejml").environment(Map.of(), new Properties()).build();
        service = GradientService.start(sdk, LIMITS, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new ServiceClient(service);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    static List<BadRequest> catalogue() {
        List<BadRequest> all = new ArrayList<>();
        // ---- routing -------------------------------------------------------------------------
        all.add(new BadRequest("unknown path", c -> c.get("/v1/nope"), 404, "", "no endpoint /v1/nope"));
        all.add(new BadRequest("trailing slash", c -> c.post("/v1/gradient/", base()), 404, "", "no endpoint /v1/gradient/"));
        all.add(new BadRequest("root path", c -> c.get("/"), 404, "", "the endpoints are POST /v1/gradient"));
        all.add(new BadRequest("GET on a POST endpoint", c -> c.get("/v1/gradient"), 405, "", "method GET is not allowed on /v1/gradient; use POST"));
        all.add(new BadRequest("PUT on /v1/check", c -> c.send(c.request("/v1/check").PUT(HttpRequest.BodyPublishers.ofString(json(base())))
                .header("Content-Type", "application/json")), 405, "", "method PUT is not allowed"));
        all.add(new BadRequest("DELETE on /health", c -> c.send(c.request("/health").DELETE()), 405, "", "use GET or HEAD"));
        all.add(new BadRequest("POST on /v1/activations", c -> c.post("/v1/activations", base()), 405, "", "use GET or HEAD"));
        all.add(new BadRequest("HEAD on /v1/hessian-vector", c -> c.send(c.request("/v1/hessian-vector").method("HEAD",
                HttpRequest.BodyPublishers.noBody())), 405, null, null));
        // ---- content type and encoding -------------------------------------------------------
        all.add(new BadRequest("no Content-Type", c -> c.post("/v1/gradient", null, json(base())), 415, "", "missing Content-Type"));
        all.add(new BadRequest("text/plain", c -> c.post("/v1/gradient", "text/plain", json(base())), 415, "",
                "unsupported Content-Type 'text/plain'"));
        all.add(new BadRequest("form encoding", c -> c.post("/v1/check", "application/x-www-form-urlencoded", "a=1"), 415, "",
                "send 'application/json'"));
        all.add(new BadRequest("latin-1 charset", c -> c.post("/v1/gradient", "application/json; charset=ISO-8859-1", json(base())), 415, "",
                "unsupported charset 'iso-8859-1'"));
        all.add(new BadRequest("gzip encoding", c -> c.send(c.request("/v1/gradient").header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofString(json(base())))), 415, "",
                "unsupported Content-Encoding 'gzip'"));
        // ---- not JSON (400) ------------------------------------------------------------------
        all.add(new BadRequest("empty body", c -> c.post("/v1/gradient", "application/json", ""), 400, "", "the request body is empty"));
        all.add(new BadRequest("whitespace body", c -> c.post("/v1/gradient", "application/json", " \n\t "), 400, "", "the request body is empty"));
        all.add(new BadRequest("truncated JSON", c -> c.post("/v1/gradient", "application/json", "{\"layers\": [{\"weights\": [[1"), 400,
                "layers[0].weights[0][0]", "invalid JSON: Unexpected end-of-input"));
        all.add(new BadRequest("not JSON at all", c -> c.post("/v1/gradient", "application/json", "layers = 1"), 400, "",
                "invalid JSON: Unrecognized token 'layers'"));
        all.add(new BadRequest("content after the value", c -> c.post("/v1/gradient", "application/json", json(base()) + " {}"), 400, "",
                "unexpected content after the end of the JSON value"));
        all.add(new BadRequest("NaN", c -> c.post("/v1/gradient", "application/json",
                json(base()).replaceFirst("0\\.3", "NaN")), 400, "layers[0].weights[0][0]", "NaN and Infinity are not JSON numbers"));
        all.add(new BadRequest("-Infinity", c -> c.post("/v1/gradient", "application/json",
                json(base()).replace("\"inputs\":[[0.5", "\"inputs\":[[-Infinity")), 400, "inputs[0][0]", "NaN and Infinity are not JSON numbers"));
        all.add(new BadRequest("duplicate key", c -> c.post("/v1/gradient", "application/json",
                json(base()).replaceFirst("\\{", "{\"inputs\": [[1, 2]], ")), 400, "inputs", "duplicate key 'inputs'; each key may appear once"));
        all.add(new BadRequest("nesting 5000 deep", c -> c.post("/v1/gradient", "application/json", "[".repeat(5000) + "]".repeat(5000)), 400,
                null, "nesting depth"));
        all.add(new BadRequest("invalid UTF-8", c -> c.send(c.request("/v1/gradient").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}))), 400, null,
                "Invalid UTF-8"));
        // ---- JSON, but not a case (422) ------------------------------------------------------
        all.add(new BadRequest("top-level array", c -> c.post("/v1/gradient", "application/json", "[1, 2]"), 422, "",
                "expected a JSON object with \"layers\", \"inputs\" and \"loss\""));
        all.add(new BadRequest("number too large", c -> c.post("/v1/gradient", "application/json", json(base()).replaceFirst("0\\.3", "1e999")),
                422, "layers[0].weights[0][0]", "number out of range"));
        all.add(new BadRequest("unknown field", c -> c.post("/v1/gradient", with(b -> b.set("layer", b.get("layers")))), 422, "layer",
                "unknown field"));
        all.add(new BadRequest("missing loss", c -> c.post("/v1/gradient", with(b -> b.without("loss"))), 422, "loss", "missing"));
        all.add(new BadRequest("null inputs", c -> c.post("/v1/gradient", with(b -> b.putNull("inputs"))), 422, "inputs",
                "expected a list of samples, got null"));
        all.add(new BadRequest("weights not a list", c -> c.post("/v1/gradient", with(b -> layer(b, 0).put("weights", "[[1]]"))), 422,
                "layers[0].weights", "expected a list of rows"));
        all.add(new BadRequest("number as a string", c -> c.post("/v1/gradient", with(b -> ((ArrayNode) layer(b, 0).get("bias")).set(1, "0.1"))),
                422, "layers[0].bias[1]", "expected a number, got \"0.1\""));
        all.add(new BadRequest("ragged rows", c -> c.post("/v1/gradient", with(b -> ((ArrayNode) layer(b, 0).get("weights").get(1)).add(2.0))),
                422, "layers[0].weights[1]", "row has 3 numbers but row 0 has 2"));
        all.add(new BadRequest("bias too short", c -> c.post("/v1/gradient", with(b -> ((ArrayNode) layer(b, 0).get("bias")).remove(2))), 422,
                "layers[0].bias", "expected 3 numbers"));
        all.add(new BadRequest("input too long", c -> c.post("/v1/gradient", with(b -> ((ArrayNode) b.get("inputs").get(1)).add(1.0))), 422,
                "inputs[1]", "expected 2 numbers"));
        all.add(new BadRequest("one target missing", c -> c.post("/v1/gradient", with(b -> ((ArrayNode) b.get("loss").get("targets")).remove(0))),
                422, "loss.targets", "expected 3 targets (one per input), got 2"));
        all.add(new BadRequest("layers do not chain", c -> c.post("/v1/gradient", with(b -> ((ArrayNode) layer(b, 1).get("weights"))
                .forEach(row -> ((ArrayNode) row).remove(2)))), 422, "layers[1].weights", "layer 0 has 3 outputs"));
        all.add(new BadRequest("no layers", c -> c.post("/v1/gradient", with(b -> b.putArray("layers"))), 422, "layers", "at least one layer"));
        all.add(new BadRequest("unknown activation", c -> c.post("/v1/gradient", with(b -> layer(b, 0).put("activation", "tanhh"))), 422,
                "layers[0].activation", "unknown activation 'tanhh'"));
        all.add(new BadRequest("unknown loss", c -> c.post("/v1/gradient", with(b -> ((ObjectNode) b.get("loss")).put("type", "hinge"))), 422,
                "loss.type", "unknown loss 'hinge'"));
        all.add(new BadRequest("softmax target not a distribution", c -> c.post("/v1/gradient", with(b -> ((ObjectNode) b.get("loss"))
                .put("type", "softmax-cross-entropy"))), 422, "loss.targets[0]", "softmax-cross-entropy: target of sample 0 has component 1 = -0.4"));
        // ---- limits --------------------------------------------------------------------------
        all.add(new BadRequest("body over the limit (Content-Length)", c -> c.post("/v1/gradient", "application/json",
                json(base()) + " ".repeat(70 * 1024)), 413, "", "this service accepts at most 65536 bytes"));
        all.add(new BadRequest("body over the limit (chunked)", c -> c.send(c.request("/v1/gradient").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        (json(base()) + " ".repeat(70 * 1024)).getBytes(StandardCharsets.UTF_8))))), 413, "", "request body too large"));
        all.add(new BadRequest("too many parameters", c -> c.post("/v1/gradient", wide(30, 1, 20)), 422, "layers",
                "the network has 641 parameters; this service accepts at most 500"));
        all.add(new BadRequest("batch too large", c -> c.post("/v1/gradient", wide(1, 9, 1)), 422, "inputs",
                "the batch has 9 samples; this service accepts at most 8"));
        all.add(new BadRequest("too many activations", c -> c.post("/v1/gradient", wide(1, 8, 30)), 422, "inputs",
                "8 samples × 31 layer outputs = 248 activations; this service accepts at most 200"));
        // ---- answers that overflow -------------------------------------------------------------
        all.add(new BadRequest("a gradient that overflows", c -> c.post("/v1/gradient", TestCases.parse("{\"layers\": [{\"weights\": "
                + "[[1e308, 1e308]], \"bias\": [0], \"activation\": \"identity\"}], \"inputs\": [[10, 10]], \"loss\": {\"type\": "
                + "\"squared-error\", \"targets\": [[0]]}}")), 422, "", "the result is not finite: loss = Infinity, and 4 more values of the "
                + "answer are not finite; the computation overflows double precision"));
        all.add(new BadRequest("a Laplace whose prior term overflows", c -> c.post("/v1/laplace", laplace(b -> b.put("prior_precision", 1e308))),
                422, "", "the result is not finite: log_marginal_likelihood = -Infinity; the computation overflows double precision"));
        all.add(new BadRequest("noise so small that 1/σ² overflows", c -> c.post("/v1/laplace", laplace(b -> b.put("sigma_noise", 1e-200))),
                422, "sigma_noise", "is too small: 3/σ² overflows double precision at σ = 1.0E-200"));
        // ---- /v1/hessian-vector --------------------------------------------------------------
        all.add(new BadRequest("no vector", c -> c.post("/v1/hessian-vector", base()), 422, "vector", "missing"));
        all.add(new BadRequest("vector not an object", c -> c.post("/v1/hessian-vector", with(b -> b.putArray("vector"))), 422, "vector",
                "expected an object"));
        all.add(new BadRequest("vector without gradients", c -> c.post("/v1/hessian-vector", with(b -> b.putObject("vector"))), 422,
                "vector.gradients", "missing"));
        all.add(new BadRequest("vector with an unknown field", c -> c.post("/v1/hessian-vector", with(b -> vector(b).put("gradient", 1))), 422,
                "vector.gradient", "unknown field"));
        all.add(new BadRequest("vector for one layer of two", c -> c.post("/v1/hessian-vector", with(b -> ((ArrayNode) vector(b).get("gradients"))
                .remove(1))), 422, "vector.gradients", "expected 2 entries (one per layer), got 1"));
        all.add(new BadRequest("vector weights of the wrong shape", c -> c.post("/v1/hessian-vector", with(b -> ((ObjectNode) vector(b)
                .get("gradients").get(0)).set("weights", layer(b, 1).get("weights")))), 422, "vector.gradients[0].weights",
                "expected 3×2 (layer 0's W), got 2×3"));
        all.add(new BadRequest("vector bias too long", c -> c.post("/v1/hessian-vector", with(b -> ((ArrayNode) vector(b).get("gradients").get(1)
                .get("bias")).add(0.0))), 422, "vector.gradients[1].bias", "expected 2 numbers (layer 1's b), got 3"));
        all.add(new BadRequest("vector entry not a number", c -> c.post("/v1/hessian-vector", with(b -> ((ArrayNode) vector(b).get("gradients")
                .get(1).get("bias")).set(0, "x"))), 422, "vector.gradients[1].bias[0]", "expected a number"));
        all.add(new BadRequest("ggn not a boolean", c -> c.post("/v1/hessian-vector", with(b -> {
            vector(b);
            b.put("ggn", "yes");
        })), 422, "ggn", "expected true or false, got \"yes\""));
        // ---- /v1/hessian-diagonal and /v1/hessian-trace ----------------------------------------
        all.add(new BadRequest("/v1/hessian is not an endpoint", c -> c.post("/v1/hessian", base()), 404, "",
                "POST /v1/hessian-vector, POST /v1/hessian-diagonal, POST /v1/hessian-trace, POST /v1/hessian-eigenvalues, POST /v1/laplace, "
                        + "GET /v1/activations"));
        all.add(new BadRequest("GET on /v1/hessian-diagonal", c -> c.get("/v1/hessian-diagonal"), 405, "",
                "method GET is not allowed on /v1/hessian-diagonal; use POST"));
        all.add(new BadRequest("PUT on /v1/hessian-trace", c -> c.send(c.request("/v1/hessian-trace")
                .PUT(HttpRequest.BodyPublishers.ofString(json(base()))).header("Content-Type", "application/json")), 405, "",
                "method PUT is not allowed on /v1/hessian-trace; use POST"));
        all.add(new BadRequest("diagonal ggn not a boolean", c -> c.post("/v1/hessian-diagonal", with(b -> b.put("ggn", "true"))), 422,
                "ggn", "expected true or false, got \"true\""));
        all.add(new BadRequest("trace ggn not a boolean", c -> c.post("/v1/hessian-trace", with(b -> b.put("ggn", 1))), 422, "ggn",
                "expected true or false, got 1"));
        all.add(new BadRequest("diagonal with a vector", c -> c.post("/v1/hessian-diagonal", with(b -> vector(b))), 422, "vector",
                "unknown field"));
        all.add(new BadRequest("unknown trace option", c -> c.post("/v1/hessian-trace", with(b -> b.put("gnn", true))), 422, "gnn",
                "unknown field"));
        all.add(new BadRequest("diagonal of a bad case", c -> c.post("/v1/hessian-diagonal", with(b -> ((ArrayNode) layer(b, 0).get("bias"))
                .remove(2))), 422, "layers[0].bias", "expected 3 numbers"));
        all.add(new BadRequest("trace of a case without a loss", c -> c.post("/v1/hessian-trace", with(b -> {
            b.without("loss");
            b.put("ggn", true);
        })), 422, "loss", "missing"));
        all.add(new BadRequest("trace over the batch limit", c -> c.post("/v1/hessian-trace", wide(1, 9, 1)), 422, "inputs",
                "the batch has 9 samples; this service accepts at most 8"));
        // ---- /v1/hessian-eigenvalues (the base case has P = 17) -------------------------------------
        all.add(new BadRequest("eigenvalues without k", c -> c.post("/v1/hessian-eigenvalues", base()), 422, "k",
                "missing; the number of largest eigenvalues to compute, between 1 and P = 17"));
        all.add(new BadRequest("zero eigenvalues", c -> c.post("/v1/hessian-eigenvalues", with(b -> b.put("k", 0))), 422, "k",
                "must be between 1 and P = 17 (the number of parameters), was 0"));
        all.add(new BadRequest("more eigenvalues than parameters", c -> c.post("/v1/hessian-eigenvalues", with(b -> b.put("k", 18))), 422, "k",
                "must be between 1 and P = 17 (the number of parameters), was 18"));
        all.add(new BadRequest("fractional k", c -> c.post("/v1/hessian-eigenvalues", with(b -> b.put("k", 1.5))), 422, "k",
                "expected a whole number between 1 and P = 17, got 1.5"));
        all.add(new BadRequest("eigenvalues ggn not a boolean", c -> c.post("/v1/hessian-eigenvalues", with(b -> b.put("k", 1).put("ggn", 0))),
                422, "ggn", "expected true or false, got 0"));
        // ---- /v1/laplace ---------------------------------------------------------------------
        all.add(new BadRequest("laplace without structure", c -> c.post("/v1/laplace", with(b -> b.put("prior_precision", 1).put("sigma_noise", 1))),
                422, "structure", "missing; one of full, diag, kron, ekfac, last-layer"));
        all.add(new BadRequest("unknown structure", c -> c.post("/v1/laplace", laplace(b -> b.put("structure", "kronn"))), 422, "structure",
                "must be one of full, diag, kron, ekfac, last-layer, was 'kronn'"));
        all.add(new BadRequest("structure not a string", c -> c.post("/v1/laplace", laplace(b -> b.put("structure", 1))), 422, "structure",
                "expected one of full, diag, kron, ekfac, last-layer, got 1"));
        all.add(new BadRequest("no prior precision", c -> c.post("/v1/laplace", laplace(b -> b.remove("prior_precision"))), 422,
                "prior_precision", "missing; the prior precision δ (a positive number) is required, or \"tune_prior\": true"));
        all.add(new BadRequest("negative prior precision", c -> c.post("/v1/laplace", laplace(b -> b.put("prior_precision", -1))), 422,
                "prior_precision", "must be a positive finite number, was -1"));
        all.add(new BadRequest("zero noise", c -> c.post("/v1/laplace", laplace(b -> b.put("sigma_noise", 0))), 422, "sigma_noise",
                "must be a positive finite number, was 0"));
        all.add(new BadRequest("squared error without noise", c -> c.post("/v1/laplace", laplace(b -> b.remove("sigma_noise"))), 422,
                "sigma_noise", "is required for the case's loss squared-error"));
        all.add(new BadRequest("noise for cross-entropy", c -> c.post("/v1/laplace", laplace(b -> {
            ((ObjectNode) b.get("loss")).put("type", "softmax-cross-entropy").set("targets", TestCases.parse("{\"t\": [[1, 0], [0, 1], [1, 0]]}")
                    .get("t"));
        })), 422, "sigma_noise", "applies only to squared-error; the case's loss softmax-cross-entropy has a categorical likelihood"));
        all.add(new BadRequest("tune_prior not a boolean", c -> c.post("/v1/laplace", laplace(b -> b.put("tune_prior", "yes"))), 422,
                "tune_prior", "expected true or false, got \"yes\""));
        all.add(new BadRequest("predict not an object", c -> c.post("/v1/laplace", laplace(b -> b.putArray("predict"))), 422, "predict",
                "expected an object {\"inputs\": [[…], …]}, got an array"));
        all.add(new BadRequest("predict with an unknown field", c -> c.post("/v1/laplace", laplace(b -> b.putObject("predict").set("input",
                b.get("inputs")))), 422, "predict.input", "unknown field"));
        all.add(new BadRequest("predict input of the wrong length", c -> c.post("/v1/laplace", laplace(b -> b.putObject("predict")
                .set("inputs", TestCases.parse("{\"x\": [[1, 2], [1, 2, 3]]}").get("x")))), 422, "predict.inputs[1]",
                "expected 2 numbers (layer 0 has 2 inputs), got 3"));
        all.add(new BadRequest("predict input not a number", c -> c.post("/v1/laplace", laplace(b -> b.putObject("predict")
                .set("inputs", TestCases.parse("{\"x\": [[1, \"2\"]]}").get("x")))), 422, "predict.inputs[0][1]", "expected a number, got \"2\""));
        all.add(new BadRequest("predict over the batch limit", c -> c.post("/v1/laplace", laplace(b -> b.putObject("predict")
                .set("inputs", TestCases.parse("{\"x\": [" + String.join(", ", java.util.Collections.nCopies(9, "[1, 2]")) + "]}").get("x")))),
                422, "predict.inputs", "has 9 inputs; this service accepts at most 8"));
        // ---- /v1/check -----------------------------------------------------------------------
        all.add(new BadRequest("check over its limit", c -> c.post("/v1/check", with(b -> b.put("max_parameters", 21))), 422, "max_parameters",
                "this service checks at most 20 parameters per request"));
        all.add(new BadRequest("check of zero parameters", c -> c.post("/v1/check", with(b -> b.put("max_parameters", 0))), 422,
                "max_parameters", "must be at least 1"));
        all.add(new BadRequest("negative tolerance", c -> c.post("/v1/check", with(b -> b.put("rtol", -1e-6))), 422, "rtol",
                "must be finite and at least 0"));
        all.add(new BadRequest("fractional seed", c -> c.post("/v1/check", with(b -> b.put("seed", 1.5))), 422, "seed", "expected a whole number"));
        all.add(new BadRequest("unknown check option", c -> c.post("/v1/check", with(b -> b.put("max_params", 3))), 422, "max_params",
                "unknown field"));
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void isAnsweredWithA4xxAndAJsonError(BadRequest bad) {
        ServiceClient.Reply reply = bad.send().apply(client);
        assertEquals(bad.status(), reply.status(), () -> bad.name() + ": " + reply);
        assertNotNull(reply.header("X-Request-Id"), "every answer has a request id");
        if (bad.status() == 405) {
            assertNotNull(reply.header("Allow"), "405 names the allowed methods");
        }
        if (reply.body().isEmpty()) {
            return; // a HEAD request: status and headers only
        }
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.header("Content-Type"));
        JsonNode body = reply.json();
        assertEquals(List.of("error", "field", "request_id"), fieldNames(body),
                () -> "error bodies have exactly error, field and request_id: " + reply);
        assertEquals(reply.header("X-Request-Id"), body.get("request_id").asText(), "the body's request id is the header's");
        String error = body.get("error").asText();
        if (bad.field() != null) {
            assertEquals(bad.field(), body.get("field").asText(), () -> bad.name() + ": " + reply);
        }
        if (bad.message() != null) {
            assertTrue(error.contains(bad.message()), () -> bad.name() + ": expected the message to contain '" + bad.message() + "': " + reply);
        }
        assertTrue(!error.contains("\n") && !error.contains("\tat "), () -> "one line, no stack trace: " + reply);
    }

    /** The number docs/service.md ("Errors") gives; a kind added or removed here changes both. */
    static final int KINDS = 90;

    @Test
    void theCatalogueHasTheNumberOfKindsTheDocsGive() {
        assertEquals(KINDS, catalogue().size(), "kinds in the catalogue; docs/service.md says " + KINDS);
        assertEquals(KINDS, catalogue().stream().map(BadRequest::name).distinct().count(), "each kind named once");
    }

    @Test
    void afterTheCatalogueTheServiceStillAnswersCorrectly() {
        for (BadRequest bad : catalogue()) {
            bad.send().apply(client);
        }
        assertEquals(200, client.get("/health").status());
        ServiceClient.Reply reply = client.post("/v1/gradient", "application/json; charset=UTF-8", json(base()));
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(TestCases.expectedGradient(sdk, base()), reply.body());
        ServiceClient.Reply quoted = client.post("/v1/gradient", "Application/JSON;charset=\"utf-8\"", json(base()));
        assertEquals(200, quoted.status(), "media types and charset names are case-insensitive: " + quoted);
    }

    // ---- request builders -----------------------------------------------------------------------

    /** The valid base case: 2 → 3 (tanh) → 2 (identity), three samples, squared error. */
    static ObjectNode base() {
        return TestCases.twoLayers();
    }

    static String json(JsonNode node) {
        return node.toString();
    }

    /** The base case changed by {@code change}. */
    static ObjectNode with(java.util.function.Consumer<ObjectNode> change) {
        ObjectNode b = base();
        change.accept(b);
        return b;
    }

    /** A valid Laplace request on the base case (kron, δ = 1, σ = 0.5) changed by {@code change}. */
    static ObjectNode laplace(java.util.function.Consumer<ObjectNode> change) {
        ObjectNode b = base();
        b.put("structure", "kron").put("prior_precision", 1.0).put("sigma_noise", 0.5);
        change.accept(b);
        return b;
    }

    static ObjectNode layer(ObjectNode b, int k) {
        return (ObjectNode) b.get("layers").get(k);
    }

    /** Adds a valid vector (zeros, the base case's shapes) to {@code b} and returns it. */
    static ObjectNode vector(ObjectNode b) {
        ObjectNode vector = b.putObject("vector");
        ArrayNode gradients = vector.putArray("gradients");
        for (JsonNode layer : b.get("layers")) {
            ObjectNode entry = gradients.addObject();
            entry.set("weights", layer.get("weights").deepCopy());
            entry.set("bias", layer.get("bias").deepCopy());
        }
        return vector;
    }

    /** A network {@code 1 → hidden (tanh) → 1}, {@code batch} samples: sizes chosen to cross the limits. */
    static ObjectNode wide(int inputs, int batch, int hidden) {
        UnaryOperator<String> zeros = n -> "[" + String.join(", ", java.util.Collections.nCopies(Integer.parseInt(n), "0.1")) + "]";
        String row = zeros.apply(Integer.toString(inputs));
        String hiddenRows = "[" + String.join(", ", java.util.Collections.nCopies(hidden, row)) + "]";
        String sample = zeros.apply(Integer.toString(inputs));
        return TestCases.parse("{\"layers\": [{\"weights\": " + hiddenRows + ", \"bias\": " + zeros.apply(Integer.toString(hidden))
                + ", \"activation\": \"tanh\"}, {\"weights\": [" + zeros.apply(Integer.toString(hidden)) + "], \"bias\": [0], \"activation\": \"identity\"}],"
                + " \"inputs\": [" + String.join(", ", java.util.Collections.nCopies(batch, sample)) + "],"
                + " \"loss\": {\"type\": \"squared-error\", \"targets\": [" + String.join(", ", java.util.Collections.nCopies(batch, "[1]")) + "]}}");
    }

    private static List<String> fieldNames(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
