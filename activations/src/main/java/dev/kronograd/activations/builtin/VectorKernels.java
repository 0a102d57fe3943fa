package dev.kronograd.activations.builtin;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bulk σ and σ' of {@link Tanh} and {@link Sigmoid} on the incubating Vector API
 * ({@code jdk.incubator.vector}). Every lane performs the scalar code's operations in the same order
 * (both branches, then a blend), so the results equal the scalar methods' bit for bit, as the
 * {@link dev.kronograd.activations.Activation} contract requires; the last n mod lanes elements go
 * to the scalar code. Only {@link BulkKernels} decides to call this class, and only after finding
 * the module in the boot layer: loading it without the module fails with a
 * {@link NoClassDefFoundError}.
 */
final class VectorKernels {
    /** The widest shape, as in core's vector kernels (one vector class per JVM keeps C2 from boxing). */
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_MAX;
    private static final int LANES = SPECIES.length();
    private static final long SIGN = Long.MIN_VALUE;

    private VectorKernels() {
    }

    /** Doubles per vector (4 with AVX2, 8 with AVX-512). */
    static int lanes() {
        return LANES;
    }

    /**
     * {@link Exp#nonPositive} on every lane: the same clamping, reduction, polynomial and
     * two-step scaling.
     */
    static DoubleVector expNonPositive(DoubleVector x) {
        DoubleVector xc = x.blend(Exp.LOWEST, x.lt(Exp.LOWEST));
        DoubleVector shifted = xc.mul(Exp.LOG2E).add(Exp.SHIFTER);
        DoubleVector kd = shifted.sub(Exp.SHIFTER);
        LongVector k = shifted.viewAsIntegralLanes().sub(Exp.SHIFTER_BITS);
        DoubleVector r = xc.sub(kd.mul(Exp.LN2_HI)).sub(kd.mul(Exp.LN2_LO));
        DoubleVector r2 = r.mul(r);
        DoubleVector r4 = r2.mul(r2);
        DoubleVector c01 = r.mul(Exp.C1).add(Exp.C0);
        DoubleVector c23 = r.mul(Exp.C3).add(Exp.C2);
        DoubleVector c45 = r.mul(Exp.C5).add(Exp.C4);
        DoubleVector c67 = r.mul(Exp.C7).add(Exp.C6);
        DoubleVector c89 = r.mul(Exp.C9).add(Exp.C8);
        DoubleVector c03 = c23.mul(r2).add(c01);
        DoubleVector c47 = c67.mul(r2).add(c45);
        DoubleVector q = c89.mul(r4.mul(r4)).add(c47.mul(r4)).add(c03);
        DoubleVector p = r.add(r2.mul(q)).add(1);
        LongVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        LongVector k2 = k.sub(k1);
        DoubleVector s1 = k1.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
        DoubleVector s2 = k2.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
        return p.mul(s1).mul(s2);
    }

    /** {@link Tanh#valuesAndDerivatives} (ranges already checked). */
    static void tanh(double[] z, int zOff, double[] value, int valueOff, double[] deriv, int derivOff, int n) {
        int bound = SPECIES.loopBound(n);
        DoubleVector one = DoubleVector.broadcast(SPECIES, 1);
        int i = 0;
        for (; i < bound; i += LANES) {
            DoubleVector zv = DoubleVector.fromArray(SPECIES, z, zOff + i);
            DoubleVector a = zv.abs();
            VectorMask<Double> small = a.compare(VectorOperators.LE, Tanh.SMALL);
            // |z| ≤ ½: t = a + a·(s·P(s)/Q(s)), s = a²
            DoubleVector s = a.mul(a);
            DoubleVector ps = s.mul(Tanh.P0).add(Tanh.P1).mul(s).add(Tanh.P2);
            DoubleVector qs = s.add(Tanh.Q0).mul(s).add(Tanh.Q1).mul(s).add(Tanh.Q2);
            // |z| > ½: e = e^{−2|z|}, tanh|z| = (1 − e)/(1 + e); one division serves both branches
            DoubleVector e = expNonPositive(a.mul(-2.0));
            DoubleVector onePlusE = one.add(e);
            DoubleVector ratio = one.sub(e).blend(s.mul(ps), small).div(onePlusE.blend(qs, small));
            // Math.copySign(|t|, z), written out: a call here would be past C2's inlining node budget,
            // and a call that is not inlined boxes its vectors
            DoubleVector v = ratio.blend(a.add(a.mul(ratio)), small).viewAsIntegralLanes().and(~SIGN)
                    .or(zv.viewAsIntegralLanes().and(SIGN)).viewAsFloatingLanes();
            DoubleVector dSmall = one.sub(v).mul(one.add(v));
            DoubleVector dLarge = e.mul(4.0).div(onePlusE.mul(onePlusE));
            v.intoArray(value, valueOff + i);
            dLarge.blend(dSmall, small).intoArray(deriv, derivOff + i);
        }
        Tanh.scalarValuesAndDerivatives(z, zOff + i, value, valueOff + i, deriv, derivOff + i, n - i);
    }

    /** {@link Sigmoid#valuesAndDerivatives} (ranges already checked). */
    static void sigmoid(double[] z, int zOff, double[] value, int valueOff, double[] deriv, int derivOff, int n) {
        int bound = SPECIES.loopBound(n);
        DoubleVector one = DoubleVector.broadcast(SPECIES, 1);
        int i = 0;
        for (; i < bound; i += LANES) {
            DoubleVector zv = DoubleVector.fromArray(SPECIES, z, zOff + i);
            DoubleVector e = expNonPositive(zv.abs().neg());
            DoubleVector p = one.add(e);
            // z ≥ 0: 1/(1 + e); otherwise (and NaN) e/(1 + e)
            DoubleVector v = e.blend(one, zv.compare(VectorOperators.GE, 0.0)).div(p);
            DoubleVector d = e.div(p.mul(p));
            v.intoArray(value, valueOff + i);
            d.intoArray(deriv, derivOff + i);
        }
        Sigmoid.scalarValuesAndDerivatives(z, zOff + i, value, valueOff + i, deriv, derivOff + i, n - i);
    }
}
