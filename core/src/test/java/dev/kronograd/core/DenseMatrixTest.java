package dev.kronograd.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenseMatrixTest {

    @Test
    void vecIsAViewOfTheColumnMajorStorage() {
        DenseMatrix a = DenseMatrix.ofRows(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        DenseVector v = a.vec();
        assertSame(a.data(), v.data());
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, v.toArray());
        v.set(3, 50);
        assertEquals(50, a.get(1, 1), "writing through vec must change the matrix");
    }

    @Test
    void unvecReshapesWithoutCopying() {
        DenseVector v = DenseVector.of(1, 2, 3, 4, 5, 6);
        DenseMatrix m = v.unvec(3, 2);
        assertSame(v.data(), m.data());
        assertEquals(4, m.get(0, 1));
        m.set(2, 1, 60);
        assertEquals(60, v.get(5));
        assertSame(v.data(), m.vec().data());
    }

    @Test
    void unvecWithWrongShapeNamesBothShapes() {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> DenseVector.of(1, 2, 3).unvec(2, 2));
        assertTrue(e.getMessage().contains("length 3") && e.getMessage().contains("2×2"), e.getMessage());
    }

    @Test
    void vecOfAStridedBlockIsRefused() {
        DenseMatrix a = DenseMatrix.zeros(4, 4);
        DenseMatrix blk = a.block(1, 1, 2, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, blk::vec);
        assertTrue(e.getMessage().contains("copy()"), e.getMessage());
        assertEquals(4, blk.copy().vec().length());
    }

    @Test
    void blocksAndColumnsAreViews() {
        DenseMatrix a = DenseMatrix.zeros(3, 3);
        a.block(1, 1, 2, 2).fill(7);
        assertEquals(7, a.get(2, 2));
        assertEquals(0, a.get(0, 0));
        a.column(0).set(2, 9);
        assertEquals(9, a.get(2, 0));
    }

    @Test
    void raggedRowsAreNamed() {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> DenseMatrix.ofRows(new double[] {1, 2}, new double[] {3}));
        assertTrue(e.getMessage().contains("row 1 has length 1"), e.getMessage());
    }

    @Test
    void viewBoundsAreChecked() {
        assertThrows(IndexOutOfBoundsException.class, () -> DenseMatrix.view(new double[5], 0, 2, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> DenseMatrix.view(new double[10], 0, 3, 2, 2));
        assertEquals(6, DenseMatrix.view(new double[6], 0, 3, 2, 3).size());
    }

    @Test
    void rowArraysRoundTrip() {
        double[][] rows = {{1, 2}, {3, 4}, {5, 6}};
        assertArrayEquals(rows, DenseMatrix.ofRows(rows).toRowArrays());
        assertArrayEquals(new double[][] {{1, 3, 5}, {2, 4, 6}}, DenseMatrix.ofRows(rows).transposeCopy().toRowArrays());
    }
}
