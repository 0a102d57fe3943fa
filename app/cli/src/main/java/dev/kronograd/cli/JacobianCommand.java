package dev.kronograd.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kronograd.service.io.CaseWriter;
import dev.kronograd.service.io.GradientCase;
import dev.kronograd.sdk.nn.DenseLayer;
import dev.kronograd.sdk.nn.LayerEvaluation;
import dev.kronograd.sdk.nn.Network;
import dev.kronograd.core.ShapeMismatchException;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.MaterializationLimit;
import dev.kronograd.core.operator.SparseMatrix;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code kronograd jacobian --input FILE [--layer K] [--wrt parameters|input] [--dense|--sparse]}:
 * the structure of one layer's Jacobian evaluated on the case's batch — shape, formula,
 * non-zeros, memory structured versus materialised — and, on request, the materialised matrix,
 * guarded by a {@link MaterializationLimit} (too large a request is a user error giving the size).
 */
@Command(name = "jacobian", mixinStandardHelpOptions = true,
        description = {"Describes a layer's structured Jacobian on the case's batch.",
                "",
                "Prints JSON: shape, structure formula, non-zeros, and bytes structured vs dense vs sparse. "
                        + "With --dense or --sparse it also prints the materialised matrix (row-major rows, or "
                        + "[row, col, value] entries); a matrix larger than --max-bytes is refused with its size."})
final class JacobianCommand implements Callable<Integer> {
    /** Which Jacobian of the layer. */
    enum Wrt {
        /** J_θ, with respect to θ = [vec W; b]. */
        PARAMETERS,
        /** J_x, with respect to the layer's input batch. */
        INPUT
    }

    /** --dense or --sparse, at most one. */
    static final class Materialization {
        @Option(names = "--dense", required = true, description = "Also print the dense matrix, as row-major rows.")
        boolean dense;
        @Option(names = "--sparse", required = true, description = "Also print the non-zeros, as [row, col, value] entries in column order.")
        boolean sparse;
    }

    /** Parses 268435456, 512k, 256m, 2g. */
    static final class ByteSize implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long bytes;
            try {
                bytes = MaterializationLimit.parseBytes(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a byte count such as 268435456, 512k, 256m or 2g");
            }
            if (bytes < 0) {
                throw new TypeConversionException("'" + value + "' is negative; give a byte count such as 256m");
            }
            return bytes;
        }
    }

    @ParentCommand
    private KronogradCli cli;
    @Spec
    private CommandSpec spec;
    @Mixin
    private SdkOptions sdk;
    @Mixin
    private CaseInputOptions input;
    @Mixin
    private JsonOutputOptions output;

    @Option(names = "--layer", paramLabel = "K", defaultValue = "0", description = "The layer, from 0 (default: ${DEFAULT-VALUE}).")
    private int layer;

    @Option(names = "--wrt", paramLabel = "WHAT", defaultValue = "parameters",
            description = "parameters: J_θ = diag(σ'(vec Z)) (X̄ᵀ ⊗ I_m), mB × (mn+m); input: J_x = diag(σ'(vec Z)) (I_B ⊗ W), mB × nB "
                    + "(default: ${DEFAULT-VALUE}).")
    private Wrt wrt;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Materialization materialization;

    @Option(names = "--max-bytes", paramLabel = "SIZE", converter = ByteSize.class,
            description = "The most memory --dense/--sparse may use, e.g. 64m (default: -Dkronograd.materialize.maxBytes, else 256m).")
    private Long maxBytes;

    @Override
    public Integer call() {
        MaterializationLimit limit = limit();
        GradientCase c = input.read(sdk.kronograd(), cli.stdin());
        Network network = c.network();
        int layers = network.layers().size();
        if (layer < 0 || layer >= layers) {
            throw new UserInputException("--layer " + layer + " is out of range: the case has " + layers
                    + (layers == 1 ? " layer (index 0)" : " layers (0 to " + (layers - 1) + ")"));
        }
        List<LayerEvaluation> evaluations = network.forward(c.inputs(), network.newWorkspace());
        LayerEvaluation evaluation = evaluations.get(layer);
        DenseLayer l = evaluation.layer();
        LinearOperator jacobian = wrt == Wrt.PARAMETERS ? evaluation.parameterJacobian() : evaluation.inputJacobian();

        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("layer", layer);
        json.put("layer_shape", ShapeMismatchException.shape(l.outputs(), l.inputs()));
        json.put("activation", l.activation().name());
        json.put("batch", c.batchSize());
        json.put("wrt", wrt.name().toLowerCase(Locale.ROOT));
        json.put("formula", wrt == Wrt.PARAMETERS ? "J_θ = diag(σ'(vec Z)) (X̄ᵀ ⊗ I_m), θ = [vec W; b]" : "J_x = diag(σ'(vec Z)) (I_B ⊗ W)");
        json.put("rows", jacobian.rows());
        json.put("cols", jacobian.cols());
        json.put("shape", ShapeMismatchException.shape(jacobian.rows(), jacobian.cols()));
        json.put("structure", jacobian.describe());
        json.put("non_zeros", jacobian.nonZeros());
        long structured = jacobian.storedDoubles() > Long.MAX_VALUE / Double.BYTES ? Long.MAX_VALUE : jacobian.storedDoubles() * Double.BYTES;
        putBytes(json, "structured", structured);
        putBytes(json, "dense", MaterializationLimit.denseBytes(jacobian.rows(), jacobian.cols()));
        putBytes(json, "sparse", MaterializationLimit.sparseBytes(jacobian.nonZeros(), jacobian.cols()));
        json.put("row_order", "row s·m + i is output i of sample s (vec Z, column-major)");
        json.put("column_order", wrt == Wrt.PARAMETERS
                ? "column j·m + i is W[i][j], column m·n + i is b[i] (θ = [vec W; b], column-major)"
                : "column s·n + j is input j of sample s (vec X, column-major)");
        if (materialization != null && materialization.dense) {
            json.set("dense", CaseWriter.rows(jacobian.toDense(limit)));
        } else if (materialization != null && materialization.sparse) {
            json.set("sparse", sparse(jacobian.toSparse(limit)));
        }
        output.print(json, spec.commandLine().getOut());
        return KronogradCli.EXIT_OK;
    }

    private MaterializationLimit limit() {
        if (maxBytes != null) {
            return MaterializationLimit.ofBytes(maxBytes);
        }
        try {
            return MaterializationLimit.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }

    private static void putBytes(ObjectNode json, String what, long bytes) {
        json.put(what + "_bytes", bytes);
        json.put(what + "_size", MaterializationLimit.human(bytes));
    }

    /** {"rows", "cols", "non_zeros", "entries": [[row, col, value], …]} in column order. */
    private static ObjectNode sparse(SparseMatrix s) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("rows", s.rows());
        json.put("cols", s.cols());
        json.put("non_zeros", s.nonZeros());
        ArrayNode entries = json.putArray("entries");
        int[] colPtr = s.colPtr();
        int[] rowIndex = s.rowIndex();
        double[] values = s.values();
        for (int j = 0; j < s.cols(); j++) {
            for (int p = colPtr[j]; p < colPtr[j + 1]; p++) {
                entries.addArray().add(rowIndex[p]).add(j).add(values[p]);
            }
        }
        return json;
    }
}
