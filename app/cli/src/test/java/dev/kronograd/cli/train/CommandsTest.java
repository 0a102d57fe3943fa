package dev.kronograd.cli.train;

import dev.kronograd.cli.DemoCommand;
import dev.kronograd.cli.TrainCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code demo} and {@code train} as picocli commands (run directly, as {@code kronograd demo} and
 * {@code kronograd train} do once registered in the top-level command).
 */
class CommandsTest {

    private record Run(int exitCode, String out, String err) {
        String[] lines() {
            return out.strip().split("\\R");
        }
    }

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(command);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theDemoPassesItsChecksWritesItsPicturesAndExitsWithZero(@TempDir Path dir) throws IOException {
        Run r = run(new DemoCommand(), "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        String[] lines = r.lines();
        assertEquals("all checks passed", lines[lines.length - 1], r.out());
        assertTrue(r.out().contains("1. f(W, b) = tanh(W x + b)"), r.out());
        assertTrue(r.out().contains("2. the same Jacobian for a 4096×4096 layer"), r.out());
        assertTrue(r.out().contains("3. spy plot of J_θ for a batch"), r.out());
        assertTrue(r.out().contains("108 non-zeros (= m(n+1)B = 108)"), r.out());
        assertTrue(r.out().contains("4. training a classifier"), r.out());
        for (String name : new String[] {"jacobian-spy.png", "spirals-training-curves.png", "spirals-decision-boundary.png"}) {
            Path file = dir.resolve(name);
            assertTrue(r.out().contains(file.toString()), "the demo says where it wrote " + name);
            assertNotNull(ImageIO.read(file.toFile()), name);
        }
    }

    @Test
    void trainEndsWithTheTestAccuracyAndPrintsFewPlainProgressLines(@TempDir Path dir) {
        Run r = run(new TrainCommand(), "--dataset", "iris", "--out", dir.toString(), "--epochs", "40", "--seed", "3");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        String[] lines = r.lines();
        assertTrue(lines[lines.length - 1].matches("test accuracy: [01]\\.\\d{3}"), lines[lines.length - 1]);
        long progress = r.out().lines().filter(l -> l.startsWith("epoch ")).count();
        assertTrue(progress >= 2 && progress <= 11, progress + " progress lines:\n" + r.out());
        assertTrue(r.out().lines().noneMatch(l -> l.contains("\r")), "no carriage returns off a terminal");
        assertTrue(Files.isRegularFile(dir.resolve("iris-training-curves.png")));
        assertTrue(r.out().contains("wrote " + dir.resolve("iris-training-curves.png")));
    }

    @Test
    void trainOnSpiralsWritesTheDecisionBoundaryWithSgd(@TempDir Path dir) {
        Run r = run(new TrainCommand(), "--dataset", "spirals", "--out", dir.toString(), "--epochs", "5", "--optimizer", "sgd",
                "--momentum", "0.5", "--hidden", "8,8", "--activation", "relu", "--batch-size", "50");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("sgd(lr=0.05, momentum=0.5)"), r.out());
        assertTrue(r.out().contains("network 2-8-8-2"), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("spirals-decision-boundary.png")));
    }

    @Test
    void badOptionsAreUsageErrorsWithExitCode2(@TempDir Path dir) throws IOException {
        assertEquals(2, run(new TrainCommand(), "--dataset", "mnist", "--out", dir.toString()).exitCode());
        assertEquals(2, run(new TrainCommand(), "--dataset", "iris", "--epochs", "0", "--out", dir.toString()).exitCode());
        assertEquals(2, run(new TrainCommand(), "--dataset", "iris", "--optimizer", "rmsprop", "--out", dir.toString()).exitCode());
        assertEquals(2, run(new TrainCommand(), "--dataset", "iris", "--momentum", "1.5", "--out", dir.toString()).exitCode());
        assertEquals(2, run(new TrainCommand(), "--dataset", "iris", "--hidden", "8,0", "--out", dir.toString()).exitCode());
        assertEquals(2, run(new TrainCommand(), "--out", dir.toString()).exitCode(), "--dataset is required");
    }
}
