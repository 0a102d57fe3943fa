package dev.kronograd.cli.architecture;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each {@link ArchitectureRules} rule fails on test-only classes that break it (the
 * {@code dev.kronograd.*.archviolation} packages of this module's tests, compiled, never run),
 * imported together with the production classes so that the layers are as in the real build. Each
 * test names the violations the rule must report, so a rule that cannot fail (a misspelt package,
 * an empty selection) fails here.
 */
class ArchitectureRulesCanFailTest {
    private static final String VIOLATIONS = "/archviolation/";
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClassesAndViolations() {
        ImportOption production = new ImportOption.DoNotIncludeTests();
        ImportOption noTestJars = new ArchitectureRules.DoNotIncludeTestJars();
        classes = new ClassFileImporter()
                .withImportOption((Location l) -> l.contains(VIOLATIONS) || production.includes(l) && noTestJars.includes(l))
                .importPackages("dev.kronograd");
    }

    @Test
    void theImportHoldsEveryModuleAndTheViolations() {
        Set<String> packages = classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        for (String module : List.of("dev.kronograd.core", "dev.kronograd.activations", "dev.kronograd.backend",
                "dev.kronograd.backend.ejml", "dev.kronograd.backend.netlib", "dev.kronograd.sdk",
                "dev.kronograd.service", "dev.kronograd.cli", "dev.kronograd.spark",
                "dev.kronograd.core.archviolation", "dev.kronograd.sdk.archviolation.cycle.first")) {
            assertTrue(packages.contains(module), () -> module + " is not imported: " + packages);
        }
    }

    @Test
    void layersFailOnADependencyUpwardsOrSideways() {
        assertViolations(ArchitectureRules.LAYERS,
                "<dev.kronograd.core.archviolation.CoreUsesSdkAndSlf4j.upwards()> calls method <dev.kronograd.sdk.Kronograd.builder()>",
                "<dev.kronograd.backend.netlib.archviolation.BackendUsesActivations.sideways(java.lang.String)> calls method "
                        + "<dev.kronograd.activations.ActivationRegistry.isValidName(java.lang.String)>",
                "<dev.kronograd.service.archviolation.ServiceMisbehaves.upwards()> references class object <dev.kronograd.cli.KronogradCli>");
    }

    @Test
    void coreFailsOnAThirdPartyLibrary() {
        assertViolations(ArchitectureRules.CORE_USES_ONLY_THE_JDK,
                "<dev.kronograd.core.archviolation.CoreUsesSdkAndSlf4j.thirdParty()> calls method "
                        + "<org.slf4j.LoggerFactory.getLogger(java.lang.Class)>");
    }

    @Test
    void cyclesFailOnTwoPackagesUsingEachOther() {
        assertViolations(ArchitectureRules.NO_PACKAGE_CYCLES,
                "Slice sdk.archviolation.cycle.first -> \n                Slice sdk.archviolation.cycle.second -> \n"
                        + "                Slice sdk.archviolation.cycle.first");
    }

    @Test
    void printingFailsOnStdoutStderrAndPrintStackTrace() {
        assertViolations(ArchitectureRules.LIBRARIES_DO_NOT_PRINT,
                "ServiceMisbehaves.prints(java.lang.Exception)> gets field <java.lang.System.out>",
                "ServiceMisbehaves.prints(java.lang.Exception)> gets field <java.lang.System.err>",
                "ServiceMisbehaves.prints(java.lang.Exception)> calls method <java.lang.Exception.printStackTrace()>");
    }

    @Test
    void globalStateFailsOnPropertiesStreamsAndExit() {
        assertViolations(ArchitectureRules.LIBRARIES_CHANGE_NO_GLOBAL_STATE,
                "changesGlobalState()> calls method <java.lang.System.setProperty(java.lang.String, java.lang.String)>",
                "changesGlobalState()> calls method <java.lang.System.clearProperty(java.lang.String)>",
                "changesGlobalState()> calls method <java.lang.System.setOut(java.io.PrintStream)>",
                "changesGlobalState()> calls method <java.lang.Runtime.exit(int)>",
                "changesGlobalState()> references method <java.lang.System.exit(int)>");
    }

    @Test
    void loggingBindingFailsOnSlf4jSimple() {
        assertViolations(ArchitectureRules.LIBRARIES_USE_NO_LOGGING_BINDING,
                "ServiceMisbehaves.bindsLogging()> calls constructor <org.slf4j.simple.SimpleServiceProvider.<init>()>");
    }

    @Test
    void cliFrontEndsFailInALibrary() {
        assertViolations(ArchitectureRules.LIBRARIES_USE_NO_CLI_FRONT_END,
                "ServiceMisbehaves.cliFrontEnd()> calls constructor <picocli.CommandLine.<init>(java.lang.Object)>",
                "SdkUsesFrontEnds.chart()> references class object <org.knowm.xchart.XYChart>",
                "SdkUsesFrontEnds.desktop()> gets field <java.awt.Color.RED>");
    }

    @Test
    void serviceFrontEndsFailInTheSdk() {
        assertViolations(ArchitectureRules.SDK_USES_NO_SERVICE_FRONT_END,
                "SdkUsesFrontEnds.json()> calls constructor <com.fasterxml.jackson.databind.ObjectMapper.<init>()>");
    }

    /** The rule fails on {@link #classes}, and its report contains each of {@code expected}. */
    private static void assertViolations(ArchRule rule, String... expected) {
        EvaluationResult result = rule.evaluate(classes);
        assertTrue(result.hasViolation(), () -> "no violation of: " + rule.getDescription());
        String report = result.getFailureReport().toString();
        assertAll(java.util.Arrays.stream(expected)
                .map(e -> () -> assertTrue(report.contains(e), () -> "missing <" + e + "> in\n" + report)));
    }
}
