package dev.kronograd.sdk.nn;

import dev.kronograd.core.DenseVector;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.testing.NaiveDense;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GgnOperator}: the contract against Jᵀ ∇²ℓ J with J the dense Kronecker Jacobian, positive
 * semi-definiteness (whole and per layer), and the Kronecker sum of M̃ blocks equal to the
 * composed layer block.
 */
class GgnOperatorTest extends CurvatureOperatorContract {

    @Override
    CurvatureOperator operatorAt(Curvature at) {
        return at.ggn();
    }

    @Override
    double[][] denseReference(Case c) {
        return denseGgn(c);
    }

    @Override
    double referenceTolerance() {
        return ROUNDING;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void isPositiveSemiDefiniteForConvexLosses(LinearAlgebra la) {
        Random rnd = new Random(51);
        for (Case c : cases(la, 51)) {
            GgnOperator g = c.at().ggn();
            double scale = 1 + maxAbs(g.toDense().toRowArrays());
            for (int probe = 0; probe < 5; probe++) {
                DenseVector v = DenseVector.of(NaiveDense.random(rnd, g.cols()));
                double quad = v.dot(g.apply(v));
                assertTrue(quad >= -ROUNDING * scale * v.dot(v), c.where() + ": vᵀGv = " + quad);
                for (int k = 0; k < g.layers(); k++) {
                    DenseVector vk = DenseVector.of(NaiveDense.random(rnd, g.layer(k).cols()));
                    double layerQuad = vk.dot(g.layer(k).apply(vk));
                    assertTrue(layerQuad >= -ROUNDING * scale * vk.dot(vk), c.where() + ": layer " + k + " vᵀG_kv = " + layerQuad);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void layerKroneckerSumEqualsTheComposedBlock(LinearAlgebra la) {
        for (Case c : cases(la, 52)) {
            GgnOperator g = c.at().ggn();
            for (int k = 0; k < g.layers(); k++) {
                double[][] block = g.layer(k).toDense().toRowArrays();
                double scale = 1 + maxAbs(block);
                NaiveDense.assertClose(block, g.layerKroneckerSum(k).toDense().toRowArrays(), ROUNDING * scale,
                        c.where() + ": layer " + k + " K̄ᵀM̃K̄ = Σ (āāᵀ) ⊗ M̃_i");
            }
        }
    }
}
