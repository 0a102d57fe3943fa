package dev.kronograd.activations.builtin;

import static dev.kronograd.activations.builtin.HighPrecision.MC;
import static dev.kronograd.activations.builtin.HighPrecision.TWO;
import static dev.kronograd.activations.builtin.HighPrecision.exp;
import static dev.kronograd.activations.builtin.HighPrecision.expm1;
import static dev.kronograd.activations.builtin.HighPrecision.log1p;
import static dev.kronograd.activations.builtin.HighPrecision.normalCdf;
import static dev.kronograd.activations.builtin.HighPrecision.normalDensity;
import static dev.kronograd.activations.builtin.HighPrecision.tanh;

import java.math.BigDecimal;
import java.util.Map;
import java.util.function.Function;

/**
 * The built-ins' σ, σ', σ'' from their textbook definitions in 100-digit arithmetic, written
 * independently of the double implementations (the same kink conventions: z = 0 takes the z ≤ 0
 * branch). Where a derivative is a sum of terms that cancel near its zeros, the reference also
 * reports the sum of the terms' magnitudes as the scale the error is measured against.
 */
final class ReferenceActivations {
    static final BigDecimal LEAKY_SLOPE = new BigDecimal("0.01");
    static final BigDecimal SELU_LAMBDA = new BigDecimal("1.0507009873554804934193349852946");
    static final BigDecimal SELU_ALPHA = new BigDecimal("1.6732632423543772848170429916717");
    static final BigDecimal GELU_TANH_K = new BigDecimal("0.044715");
    static final BigDecimal GELU_TANH_C = TWO.multiply(TWO.divide(HighPrecision.PI, MC).sqrt(MC), MC);

    /** A reference value and the scale its error is measured against. */
    record Exact(BigDecimal value, BigDecimal scale) {
        static Exact of(BigDecimal value) {
            return new Exact(value, value.abs());
        }

        /** The sum of {@code terms}, measured against Σ|term| (which is |sum| unless they cancel). */
        static Exact sum(BigDecimal... terms) {
            BigDecimal value = BigDecimal.ZERO;
            BigDecimal scale = BigDecimal.ZERO;
            for (BigDecimal t : terms) {
                value = value.add(t, MC);
                scale = scale.add(t.abs(), MC);
            }
            return new Exact(value, scale);
        }
    }

    /** σ, σ', σ'' at one point. */
    record Triple(Exact value, Exact derivative, Exact secondDerivative) {
        static Triple of(BigDecimal v, BigDecimal d, BigDecimal s) {
            return new Triple(Exact.of(v), Exact.of(d), Exact.of(s));
        }
    }

    static final Map<String, Function<BigDecimal, Triple>> BY_NAME = Map.ofEntries(
            Map.entry("identity", z -> Triple.of(z, BigDecimal.ONE, BigDecimal.ZERO)),
            Map.entry("relu", z -> z.signum() > 0 ? Triple.of(z, BigDecimal.ONE, BigDecimal.ZERO)
                    : Triple.of(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO)),
            Map.entry("leaky-relu", z -> z.signum() > 0 ? Triple.of(z, BigDecimal.ONE, BigDecimal.ZERO)
                    : Triple.of(LEAKY_SLOPE.multiply(z, MC), LEAKY_SLOPE, BigDecimal.ZERO)),
            Map.entry("elu", z -> z.signum() > 0 ? Triple.of(z, BigDecimal.ONE, BigDecimal.ZERO)
                    : Triple.of(expm1(z), exp(z), exp(z))),
            Map.entry("selu", ReferenceActivations::selu),
            Map.entry("sigmoid", z -> Triple.of(logistic(z), logisticDerivative(z), logisticSecondDerivative(z))),
            Map.entry("tanh", ReferenceActivations::tanhTriple),
            Map.entry("softplus", z -> Triple.of(
                    z.max(BigDecimal.ZERO).add(log1p(exp(z.abs().negate())), MC),
                    logistic(z), logisticDerivative(z))),
            Map.entry("softsign", ReferenceActivations::softsign),
            Map.entry("silu", ReferenceActivations::silu),
            Map.entry("gelu", ReferenceActivations::gelu),
            Map.entry("gelu-tanh", ReferenceActivations::geluTanh));

    private ReferenceActivations() {
    }

    /** S(z) = 1/(1 + e^{−z}). */
    static BigDecimal logistic(BigDecimal z) {
        BigDecimal e = exp(z.abs().negate());
        return z.signum() >= 0 ? BigDecimal.ONE.divide(BigDecimal.ONE.add(e, MC), MC) : e.divide(BigDecimal.ONE.add(e, MC), MC);
    }

    /** S'(z) = e^{−|z|}/(1 + e^{−|z|})² (= S(1 − S), written so that 1 − S never cancels). */
    static BigDecimal logisticDerivative(BigDecimal z) {
        BigDecimal e = exp(z.abs().negate());
        BigDecimal p = BigDecimal.ONE.add(e, MC);
        return e.divide(p.multiply(p, MC), MC);
    }

    /** S''(z) = S'(z)(1 − 2S(z)) = −S'(z)·tanh(z/2). */
    static BigDecimal logisticSecondDerivative(BigDecimal z) {
        return logisticDerivative(z).multiply(tanh(z.divide(TWO, MC)), MC).negate();
    }

    private static Triple selu(BigDecimal z) {
        BigDecimal la = SELU_LAMBDA.multiply(SELU_ALPHA, MC);
        return z.signum() > 0 ? Triple.of(SELU_LAMBDA.multiply(z, MC), SELU_LAMBDA, BigDecimal.ZERO)
                : Triple.of(la.multiply(expm1(z), MC), la.multiply(exp(z), MC), la.multiply(exp(z), MC));
    }

    /** tanh, sech² = 4e/(1 + e)² with e = e^{−2|z|}, −2 tanh·sech². */
    private static Triple tanhTriple(BigDecimal z) {
        BigDecimal t = tanh(z);
        BigDecimal e = exp(TWO.multiply(z.abs(), MC).negate());
        BigDecimal p = BigDecimal.ONE.add(e, MC);
        BigDecimal sech2 = BigDecimal.valueOf(4).multiply(e, MC).divide(p.multiply(p, MC), MC);
        return Triple.of(t, sech2, TWO.negate().multiply(t, MC).multiply(sech2, MC));
    }

    private static Triple softsign(BigDecimal z) {
        BigDecimal p = BigDecimal.ONE.add(z.abs(), MC);
        BigDecimal p3 = p.pow(3, MC);
        BigDecimal second = TWO.divide(p3, MC);
        return Triple.of(z.divide(p, MC), BigDecimal.ONE.divide(p.multiply(p, MC), MC),
                z.signum() > 0 ? second.negate() : second);
    }

    /** z·S, S + zS', 2S' + zS''. */
    private static Triple silu(BigDecimal z) {
        BigDecimal s = logistic(z);
        BigDecimal s1 = logisticDerivative(z);
        BigDecimal s2 = logisticSecondDerivative(z);
        return new Triple(Exact.of(z.multiply(s, MC)), Exact.sum(s, z.multiply(s1, MC)),
                Exact.sum(TWO.multiply(s1, MC), z.multiply(s2, MC)));
    }

    /** zΦ, Φ + zφ, φ(2 − z²). */
    private static Triple gelu(BigDecimal z) {
        BigDecimal cdf = normalCdf(z);
        BigDecimal density = normalDensity(z);
        return new Triple(Exact.of(z.multiply(cdf, MC)), Exact.sum(cdf, z.multiply(density, MC)),
                Exact.of(density.multiply(TWO.subtract(z.multiply(z, MC), MC), MC)));
    }

    /** zS(v), S(v) + zS'(v)v', 2S'(v)v' + zS''(v)v'² + zS'(v)v'' with v = c(z + kz³). */
    private static Triple geluTanh(BigDecimal z) {
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal v = GELU_TANH_C.multiply(z.add(GELU_TANH_K.multiply(z2, MC).multiply(z, MC), MC), MC);
        BigDecimal dv = GELU_TANH_C.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(3).multiply(GELU_TANH_K, MC)
                .multiply(z2, MC), MC), MC);
        BigDecimal d2v = BigDecimal.valueOf(6).multiply(GELU_TANH_C, MC).multiply(GELU_TANH_K, MC).multiply(z, MC);
        BigDecimal s = logistic(v);
        BigDecimal s1 = logisticDerivative(v);
        BigDecimal s2 = logisticSecondDerivative(v);
        return new Triple(Exact.of(z.multiply(s, MC)),
                Exact.sum(s, z.multiply(s1, MC).multiply(dv, MC)),
                Exact.sum(TWO.multiply(s1, MC).multiply(dv, MC), z.multiply(s2, MC).multiply(dv.multiply(dv, MC), MC),
                        z.multiply(s1, MC).multiply(d2v, MC)));
    }
}
