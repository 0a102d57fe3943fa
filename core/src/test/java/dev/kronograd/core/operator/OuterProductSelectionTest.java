package dev.kronograd.core.operator;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which outer-product kernel runs. Core's build runs its tests three times — with
 * {@code --add-modules jdk.incubator.vector}, without it, and with it plus
 * {@code -Dkronograd.vectorApi=false} — and tells each run what to expect through
 * {@code kronograd.test.expectVectorApi}; run elsewhere (an IDE), the expectation follows the JVM.
 */
class OuterProductSelectionTest {

    private static boolean moduleInBootLayer() {
        return ModuleLayer.boot().findModule(OuterProduct.VECTOR_MODULE).isPresent();
    }

    private static boolean switchedOff() {
        String value = System.getProperty(OuterProduct.PROPERTY);
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("false");
    }

    /** The module is there, not switched off, and its vectors hold more than one double. */
    private static boolean vectorKernelUsable() {
        return moduleInBootLayer() && !switchedOff() && VectorKernels.lanes() >= 2;
    }

    @Test
    void vectorKernelRunsExactlyWhenTheModuleIsPresentAndNotSwitchedOff() {
        assertEquals(vectorKernelUsable(), OuterProduct.VECTOR_API, OuterProduct.SELECTION);
    }

    @Test
    void thisTestRunGetsTheKernelItsBuildConfigurationExpects() {
        String expected = System.getProperty("kronograd.test.expectVectorApi");
        boolean expectVector = expected == null ? vectorKernelUsable() : Boolean.parseBoolean(expected);
        assertEquals(expectVector, OuterProduct.VECTOR_API, "module in boot layer: " + moduleInBootLayer() + ", "
                + OuterProduct.PROPERTY + "=" + System.getProperty(OuterProduct.PROPERTY) + ", selection: " + OuterProduct.SELECTION);
    }

    @Test
    void selectionNamesTheKernelAndWhy() {
        String selection = OuterProduct.SELECTION;
        if (OuterProduct.VECTOR_API) {
            assertTrue(selection.startsWith("Vector API, " + VectorKernels.lanes() + " lanes"), selection);
        } else if (switchedOff()) {
            assertEquals("scalar (kronograd.vectorApi=false)", selection);
        } else if (!moduleInBootLayer()) {
            assertTrue(selection.startsWith("scalar (module jdk.incubator.vector not in the boot layer"), selection);
        } else {
            assertEquals("scalar (vectors of 1 double only)", selection);
        }
    }
}
