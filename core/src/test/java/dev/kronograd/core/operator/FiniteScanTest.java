package dev.kronograd.core.operator;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FiniteScan} against a plain {@code Double.isFinite} loop on random ranges (seeded): every
 * length 0–40 and some long ones, odd offsets, one or two NaN/±∞ planted anywhere (first lane, last
 * lane, the scalar tail), large finite values (±MAX_VALUE: v − v is still 0). Core's build runs this
 * with the vector kernel and without; the scalar kernels are also checked directly here.
 */
class FiniteScanTest {

    private static final double[] BAD = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.longBitsToDouble(0x7ff8_0000_0000_0001L), Double.longBitsToDouble(0xfff0_0000_0000_0001L)};

    @Test
    void agreesWithIsFiniteOnRandomRangesWithAndWithoutNonFiniteValues() {
        Random random = new Random(20261206);
        int cases = 0;
        for (int n = 0; n <= 300; n = n < 40 ? n + 1 : n + 37) {
            for (int trial = 0; trial < 12; trial++) {
                int off = random.nextInt(9);
                double[] src = new double[off + n + random.nextInt(5)];
                for (int i = 0; i < src.length; i++) {
                    src[i] = switch (random.nextInt(6)) {
                        case 0 -> Double.MAX_VALUE;
                        case 1 -> -Double.MAX_VALUE;
                        case 2 -> Double.MIN_VALUE;
                        default -> random.nextGaussian() * 1e3;
                    };
                }
                int planted = n == 0 ? 0 : random.nextInt(3);
                for (int p = 0; p < planted; p++) {
                    int at = off + (p == 0 && trial % 2 == 0 ? n - 1 : random.nextInt(n));
                    src[at] = BAD[random.nextInt(BAD.length)];
                }
                if (off > 0 && random.nextBoolean()) {
                    src[0] = Double.NaN; // outside the range when off > 0: must not count
                }
                boolean expected = true;
                for (int i = off; i < off + n; i++) {
                    expected &= Double.isFinite(src[i]);
                }
                String where = "n=" + n + ", off=" + off + ", trial " + trial;
                assertEquals(expected, FiniteScan.allFinite(src, off, n), where);
                assertEquals(expected, FiniteScan.allFiniteScalar(src, off, n), where);
                if (OuterProduct.VECTOR_API) {
                    assertEquals(expected, VectorKernels.allFinite(src, off, n), where + " (vector kernel)");
                    double[] copy = new double[n];
                    assertEquals(expected, VectorKernels.copyAllFinite(src, off, copy, 0, n), where + " (vector kernel)");
                    assertArrayEquals(Arrays.copyOfRange(src, off, off + n), copy, where + " (vector kernel)");
                }

                int dstOff = random.nextInt(4);
                double[] dst = new double[dstOff + n + 2];
                Arrays.fill(dst, -7.0);
                assertEquals(expected, FiniteScan.copyAllFinite(src, off, dst, dstOff, n), where);
                assertArrayEquals(Arrays.copyOfRange(src, off, off + n), Arrays.copyOfRange(dst, dstOff, dstOff + n), where);
                assertEquals(-7.0, dst[dstOff + n], where + ": wrote past the range");
                if (dstOff > 0) {
                    assertEquals(-7.0, dst[dstOff - 1], where + ": wrote before the range");
                }
                double[] dst2 = new double[n];
                assertEquals(expected, FiniteScan.copyAllFiniteScalar(src, off, dst2, 0, n), where);
                assertArrayEquals(Arrays.copyOfRange(src, off, off + n), dst2, where);
                cases++;
            }
        }
        assertTrue(cases > 500, "cases: " + cases);
    }

    @Test
    void rangesAreCheckedAndOverlapRejected() {
        double[] a = new double[10];
        assertThrows(IndexOutOfBoundsException.class, () -> FiniteScan.allFinite(a, 5, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> FiniteScan.allFinite(a, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> FiniteScan.copyAllFinite(a, 0, new double[3], 0, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FiniteScan.copyAllFinite(a, 0, a, 3, 4));
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
        assertTrue(FiniteScan.copyAllFinite(a, 0, a, 5, 5));
        assertTrue(FiniteScan.allFinite(a, 10, 0));
    }
}
