package dev.kronograd.cli.train;

import dev.kronograd.sdk.train.Standardizer;
import dev.kronograd.sdk.train.Dataset;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSetsTest {
    private static final double EXACT = 1e-12;

    @Test
    void theIrisCsvHas150RowsOf4FeaturesAnd50PerClass() throws Exception {
        int rows = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                DataSets.class.getResourceAsStream(DataSets.IRIS_RESOURCE), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("sepal_length")) {
                    assertEquals(5, line.split(",").length, line);
                    rows++;
                }
            }
        }
        assertEquals(150, rows);

        Dataset iris = DataSets.iris();
        assertEquals(150, iris.size());
        assertEquals(4, iris.featureCount());
        assertEquals(List.of("setosa", "versicolor", "virginica"), iris.classNames());
        assertArrayEquals(new int[] {50, 50, 50}, iris.classCounts());
    }

    @Test
    void irisMatchesFishersPublishedSummary() {
        Dataset iris = DataSets.iris();
        // First and last flowers, and rows 35 and 38 as in Fisher (1936) (UCI's copy differs there).
        assertArrayEquals(new double[] {5.1, 3.5, 1.4, 0.2}, sample(iris, 0), EXACT);
        assertArrayEquals(new double[] {4.9, 3.1, 1.5, 0.2}, sample(iris, 34), EXACT);
        assertArrayEquals(new double[] {4.9, 3.6, 1.4, 0.1}, sample(iris, 37), EXACT);
        assertArrayEquals(new double[] {5.9, 3.0, 5.1, 1.8}, sample(iris, 149), EXACT);
        // Class means of the four measurements (R's datasets::iris).
        double[][] means = {{5.006, 3.428, 1.462, 0.246}, {5.936, 2.770, 4.260, 1.326}, {6.588, 2.974, 5.552, 2.026}};
        for (int c = 0; c < 3; c++) {
            for (int f = 0; f < 4; f++) {
                double sum = 0;
                for (int s = 0; s < iris.size(); s++) {
                    if (iris.label(s) == c) {
                        sum += iris.feature(f, s);
                    }
                }
                assertEquals(means[c][f], sum / 50, 1e-9, "class " + c + " feature " + f);
            }
        }
    }

    @Test
    void twoSpiralsAreSeededBalancedAndInTheUnitDisc() {
        Dataset a = DataSets.twoSpirals(7, 300, 0.02);
        Dataset b = DataSets.twoSpirals(7, 300, 0.02);
        Dataset c = DataSets.twoSpirals(8, 300, 0.02);
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(600, a.size());
        assertEquals(2, a.featureCount());
        assertArrayEquals(new int[] {300, 300}, a.classCounts());
        for (int s = 0; s < a.size(); s++) {
            double r = Math.hypot(a.feature(0, s), a.feature(1, s));
            assertTrue(r < 1.1, "radius " + r);
        }
    }

    @Test
    void theStratifiedSplitIsDisjointCompleteSeededAndKeepsClassShares() {
        Dataset iris = DataSets.iris();
        Dataset.Split split = iris.stratifiedSplit(0.3, 11);
        assertEquals(105, split.train().size());
        assertEquals(45, split.test().size());
        assertArrayEquals(new int[] {35, 35, 35}, split.train().classCounts());
        assertArrayEquals(new int[] {15, 15, 15}, split.test().classCounts());
        // train ∪ test is the data set as a multiset (Iris has one duplicated flower, so compare counts).
        Map<String, Integer> counts = new HashMap<>();
        for (int s = 0; s < iris.size(); s++) {
            counts.merge(key(iris, s), 1, Integer::sum);
        }
        for (Dataset d : List.of(split.train(), split.test())) {
            for (int s = 0; s < d.size(); s++) {
                counts.merge(key(d, s), -1, Integer::sum);
            }
        }
        assertTrue(counts.values().stream().allMatch(n -> n == 0), counts.toString());
        // The split is a function of the seed.
        assertEquals(split, iris.stratifiedSplit(0.3, 11));
        assertNotEquals(split.test(), iris.stratifiedSplit(0.3, 12).test());
    }

    @Test
    void standardisationUsesTheTrainingSplitOnly() {
        Dataset.Split split = DataSets.iris().stratifiedSplit(0.3, 3);
        Standardizer st = Standardizer.fit(split.train());
        Dataset train = st.apply(split.train());
        Dataset test = st.apply(split.test());
        for (int f = 0; f < 4; f++) {
            double sum = 0;
            double squares = 0;
            for (int s = 0; s < train.size(); s++) {
                sum += train.feature(f, s);
                squares += train.feature(f, s) * train.feature(f, s);
            }
            assertEquals(0, sum / train.size(), 1e-12);
            assertEquals(1, squares / train.size(), 1e-12);
            // The test split is transformed with the training statistics, so its moments are not exactly 0 and 1.
            assertEquals((split.test().feature(f, 0) - st.mean(f)) / st.scale(f), test.feature(f, 0), EXACT);
        }
    }

    private static String key(Dataset d, int s) {
        return Arrays.toString(sample(d, s)) + " " + d.label(s);
    }

    private static double[] sample(Dataset d, int s) {
        double[] x = new double[d.featureCount()];
        for (int f = 0; f < x.length; f++) {
            x[f] = d.feature(f, s);
        }
        return x;
    }
}
