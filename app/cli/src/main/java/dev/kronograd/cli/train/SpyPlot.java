package dev.kronograd.cli.train;

import dev.kronograd.core.operator.SparseMatrix;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A spy plot: the sparsity pattern of a matrix as a grid of cells, dark where an entry is stored
 * (structurally, whatever its value), light where it is not, with lines between blocks — for a
 * layer's parameter Jacobian {@code diag(σ'(vec Z)) [Xᵀ ⊗ I_m, 1_B ⊗ I_m]} the m×m diagonal
 * blocks of the Kronecker factors show at a glance. Drawn with Java2D off screen (headless) and
 * written as PNG.
 *
 * <p>The drawing is exact on cells: {@link #readPattern} recovers the pattern from the pixels,
 * which is how the tests check a picture against {@link #pattern}.
 */
public final class SpyPlot {

    static final Color STORED = new Color(0x1B2A41);
    static final Color EMPTY = Color.WHITE;
    private static final Color CELL_GRID = new Color(0xE6E6E6);
    private static final Color BLOCK_GRID = new Color(0x8A8A8A);
    private static final int PLOT_WIDTH = 760;

    private SpyPlot() {
    }

    /**
     * Where the cells lie in the picture: cell (i, j) is the {@code cell}×{@code cell} square at
     * {@code (left + j·cell, top + i·cell)}.
     *
     * @param rows   matrix rows
     * @param cols   matrix columns
     * @param cell   cell side in pixels
     * @param left   x of the first column
     * @param top    y of the first row
     * @param width  image width
     * @param height image height
     */
    public record Layout(int rows, int cols, int cell, int left, int top, int width, int height) {
        /** x of the centre of column j. */
        public int centerX(int j) {
            return left + j * cell + cell / 2;
        }

        /** y of the centre of row i. */
        public int centerY(int i) {
            return top + i * cell + cell / 2;
        }
    }

    /**
     * Text and block structure of a picture.
     *
     * @param title           first line
     * @param subtitle        second line (shape, non-zeros, …)
     * @param rowBlock        rows per block (lines between blocks), ≥ 1
     * @param colBlock        columns per block, ≥ 1
     * @param rowBlockLabels  one label per row block (or empty)
     * @param colBlockLabels  one label per column block (or empty)
     * @param caption         a line under the grid (or empty)
     */
    public record Labels(String title, String subtitle, int rowBlock, int colBlock, List<String> rowBlockLabels,
                         List<String> colBlockLabels, String caption) {
        public Labels {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(subtitle, "subtitle");
            Objects.requireNonNull(caption, "caption");
            rowBlockLabels = List.copyOf(rowBlockLabels);
            colBlockLabels = List.copyOf(colBlockLabels);
            if (rowBlock < 1 || colBlock < 1) {
                throw new IllegalArgumentException("block sizes must be ≥ 1, were " + rowBlock + " and " + colBlock);
            }
        }
    }

    /** {@code pattern[i][j]}: whether entry (i, j) of {@code s} is stored. */
    public static boolean[][] pattern(SparseMatrix s) {
        boolean[][] p = new boolean[s.rows()][s.cols()];
        int[] colPtr = s.colPtr();
        int[] rowIndex = s.rowIndex();
        for (int j = 0; j < s.cols(); j++) {
            for (int k = colPtr[j]; k < colPtr[j + 1]; k++) {
                p[rowIndex[k]][j] = true;
            }
        }
        return p;
    }

    /** The number of true cells. */
    public static int count(boolean[][] pattern) {
        int n = 0;
        for (boolean[] row : pattern) {
            for (boolean b : row) {
                if (b) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The cell geometry for a rows×cols matrix: cells of 6–24 px filling about 760 px of width. */
    public static Layout layout(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("a spy plot needs at least one row and one column, was " + rows + "×" + cols);
        }
        int cell = Math.max(6, Math.min(24, PLOT_WIDTH / cols));
        int left = 120;
        int top = 104;
        int width = left + cols * cell + 40;
        int height = top + rows * cell + 64;
        return new Layout(rows, cols, cell, left, top, Math.max(width, 640), height);
    }

    /** Draws the spy plot of {@code s}. */
    public static BufferedImage render(SparseMatrix s, Labels labels) {
        return render(pattern(s), labels);
    }

    /** Draws a pattern ({@code pattern[i][j]} true = stored; all rows of equal length). */
    public static BufferedImage render(boolean[][] pattern, Labels labels) {
        int rows = pattern.length;
        int cols = rows == 0 ? 0 : pattern[0].length;
        Layout l = layout(rows, cols);
        BufferedImage image = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, l.width(), l.height());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int c = l.cell();
            // cells
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    if (pattern[i][j]) {
                        g.setColor(STORED);
                        g.fillRect(l.left() + j * c + 1, l.top() + i * c + 1, c - 1, c - 1);
                    }
                }
            }
            // faint cell grid, then block lines
            g.setColor(CELL_GRID);
            for (int i = 0; i <= rows; i++) {
                if (i % labels.rowBlock() != 0) {
                    g.drawLine(l.left(), l.top() + i * c, l.left() + cols * c, l.top() + i * c);
                }
            }
            for (int j = 0; j <= cols; j++) {
                if (j % labels.colBlock() != 0) {
                    g.drawLine(l.left() + j * c, l.top(), l.left() + j * c, l.top() + rows * c);
                }
            }
            g.setColor(BLOCK_GRID);
            g.setStroke(new BasicStroke(1f));
            for (int i = 0; i <= rows; i += labels.rowBlock()) {
                g.drawLine(l.left(), l.top() + i * c, l.left() + cols * c, l.top() + i * c);
            }
            for (int j = 0; j <= cols; j += labels.colBlock()) {
                g.drawLine(l.left() + j * c, l.top(), l.left() + j * c, l.top() + rows * c);
            }
            g.drawLine(l.left(), l.top() + rows * c, l.left() + cols * c, l.top() + rows * c);
            g.drawLine(l.left() + cols * c, l.top(), l.left() + cols * c, l.top() + rows * c);
            // text
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
            g.drawString(labels.title(), 16, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.setColor(new Color(0x404040));
            g.drawString(labels.subtitle(), 16, 52);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            FontMetrics fm = g.getFontMetrics();
            for (int b = 0; b < labels.colBlockLabels().size(); b++) {
                String text = labels.colBlockLabels().get(b);
                int blockLeft = l.left() + b * labels.colBlock() * c;
                int blockWidth = Math.min(labels.colBlock(), cols - b * labels.colBlock()) * c;
                g.drawString(text, blockLeft + (blockWidth - fm.stringWidth(text)) / 2, l.top() - 10);
            }
            for (int b = 0; b < labels.rowBlockLabels().size(); b++) {
                String text = labels.rowBlockLabels().get(b);
                int blockTop = l.top() + b * labels.rowBlock() * c;
                int blockHeight = Math.min(labels.rowBlock(), rows - b * labels.rowBlock()) * c;
                g.drawString(text, l.left() - 12 - fm.stringWidth(text), blockTop + (blockHeight + fm.getAscent()) / 2 - 2);
            }
            g.setColor(new Color(0x404040));
            g.drawString(labels.caption(), 16, l.top() + rows * c + 36);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Reads the pattern back from a picture drawn with {@code layout}: a cell is stored if its centre pixel is dark. */
    public static boolean[][] readPattern(BufferedImage image, Layout layout) {
        boolean[][] p = new boolean[layout.rows()][layout.cols()];
        for (int i = 0; i < layout.rows(); i++) {
            for (int j = 0; j < layout.cols(); j++) {
                int rgb = image.getRGB(layout.centerX(j), layout.centerY(i));
                int luminance = (299 * ((rgb >> 16) & 0xFF) + 587 * ((rgb >> 8) & 0xFF) + 114 * (rgb & 0xFF)) / 1000;
                p[i][j] = luminance < 128;
            }
        }
        return p;
    }

    /** Draws the spy plot of {@code s} and writes it to {@code file} as PNG (creating parent folders). */
    public static Path write(SparseMatrix s, Labels labels, Path file) throws IOException {
        BufferedImage image = render(s, labels);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available to write " + file);
        }
        return file;
    }
}
