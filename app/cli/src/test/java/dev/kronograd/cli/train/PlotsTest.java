package dev.kronograd.cli.train;

import dev.kronograd.sdk.train.TrainingListener;
import dev.kronograd.sdk.Kronograd;
import dev.kronograd.core.DenseMatrix;
import dev.kronograd.core.DenseVector;
import dev.kronograd.core.operator.LinearOperator;
import dev.kronograd.core.operator.Operators;
import dev.kronograd.core.operator.SparseMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotsTest {
    /** A PNG this size or smaller is a blank or broken picture. */
    private static final long NON_TRIVIAL_BYTES = 5 * 1024;

    private static Kronograd sdk;
    private static TrainingRun.Result spirals;

    @BeforeAll
    static void train() {
        sdk = Kronograd.create();
        spirals = TrainingRun.run(sdk, TrainingOptions.defaults("spirals").withEpochs(40), TrainingListener.NONE);
    }

    @Test
    void curvesAreAValidPng(@TempDir Path dir) throws IOException {
        Path file = TrainingPlots.curves(spirals.history(), "Two spirals", dir.resolve("curves.png"));
        BufferedImage image = assertValidPng(file);
        assertEquals(1200, image.getWidth());
        assertEquals(460, image.getHeight());
    }

    @Test
    void theDecisionBoundaryIsAValidPngThatShowsBothClasses(@TempDir Path dir) throws IOException {
        Path file = TrainingPlots.decisionBoundary(spirals.network(), spirals.standardizer(), spirals.split(), "Two spirals",
                dir.resolve("sub/boundary.png"));
        BufferedImage image = assertValidPng(file);
        assertEquals(TrainingPlots.BOUNDARY_SIZE, image.getWidth());
        assertEquals(TrainingPlots.BOUNDARY_SIZE, image.getHeight());
        assertTrue(distinctColours(image) > 10, "the regions and points have several colours");
    }

    @Test
    void theSpyPatternOfAKnownOperatorHasOneDarkCellPerStoredEntry(@TempDir Path dir) throws IOException {
        // [xᵀ ⊗ I_3, I_3] for x of length 2: 3×9 with 3·(2+1) = 9 stored entries, on the diagonals of three 3×3 blocks.
        Operators ops = sdk.operators();
        LinearOperator op = ops.horizontal(ops.kronecker(ops.rowVector(DenseVector.of(2.0, -1.0)), ops.identity(3)), ops.identity(3));
        SparseMatrix s = op.toSparse();
        boolean[][] pattern = SpyPlot.pattern(s);
        assertEquals(3, pattern.length);
        assertEquals(9, pattern[0].length);
        assertEquals(9, SpyPlot.count(pattern));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 9; j++) {
                assertEquals(i == j % 3, pattern[i][j], "cell " + i + "," + j);
            }
        }
        SpyPlot.Labels labels = new SpyPlot.Labels("[xᵀ ⊗ I_3, I_3]", "3×9", 3, 3, List.of("x"), List.of("x₁ I", "x₂ I", "I"), "");
        BufferedImage drawn = SpyPlot.render(s, labels);
        boolean[][] read = SpyPlot.readPattern(drawn, SpyPlot.layout(3, 9));
        assertEquals(9, SpyPlot.count(read));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(pattern[i], read[i]);
        }
        Path file = SpyPlot.write(s, labels, dir.resolve("spy.png"));
        assertNotNull(ImageIO.read(file.toFile()));
    }

    @Test
    void theSpyPlotOfABatchJacobianIsAValidPngWithTheKroneckerPattern(@TempDir Path dir) throws IOException {
        // diag(σ'(vec Z)) [Xᵀ ⊗ I_6, 1_3 ⊗ I_6] for a 6×5 layer and B = 3: 18×36 with 6·6·3 = 108 stored entries.
        var net = sdk.network().inputs(5).layer(6, "tanh").build(new java.util.Random(4));
        DenseMatrix x = DenseMatrix.zeros(5, 3).fill(0.5);
        SparseMatrix s = net.forward(x, net.newWorkspace()).get(0).parameterJacobian().toSparse();
        boolean[][] pattern = SpyPlot.pattern(s);
        assertEquals(108, SpyPlot.count(pattern));
        SpyPlot.Labels labels = new SpyPlot.Labels("J", "18×36", 6, 6, List.of("1", "2", "3"), List.of("1", "2", "3", "4", "5", "b"),
                "caption");
        Path file = SpyPlot.write(s, labels, dir.resolve("jacobian.png"));
        BufferedImage image = assertValidPng(file);
        SpyPlot.Layout layout = SpyPlot.layout(18, 36);
        assertEquals(layout.width(), image.getWidth());
        assertEquals(layout.height(), image.getHeight());
        boolean[][] read = SpyPlot.readPattern(image, layout);
        for (int i = 0; i < 18; i++) {
            assertArrayEquals(pattern[i], read[i], "row " + i);
        }
    }

    private static BufferedImage assertValidPng(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " exists");
        long size = Files.size(file);
        assertTrue(size > NON_TRIVIAL_BYTES, file + " has " + size + " bytes");
        byte[] head = new byte[8];
        System.arraycopy(Files.readAllBytes(file), 0, head, 0, 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, head, "PNG signature");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, "ImageIO reads " + file);
        assertTrue(image.getWidth() >= 400 && image.getHeight() >= 200, image.getWidth() + "×" + image.getHeight());
        return image;
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
