package dev.kronograd.cli.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The {@link ArchitectureRules} over the production classes of every Kronograd module on this test
 * class path (core, activations, the backend SPI and both backends, sdk, service, cli, spark).
 */
@AnalyzeClasses(packages = "dev.kronograd",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureRules.DoNotIncludeTestJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule layers = ArchitectureRules.LAYERS;

    @ArchTest
    static final ArchRule coreUsesOnlyTheJdk = ArchitectureRules.CORE_USES_ONLY_THE_JDK;

    @ArchTest
    static final ArchRule noPackageCycles = ArchitectureRules.NO_PACKAGE_CYCLES;

    @ArchTest
    static final ArchRule librariesDoNotPrint = ArchitectureRules.LIBRARIES_DO_NOT_PRINT;

    @ArchTest
    static final ArchRule librariesChangeNoGlobalState = ArchitectureRules.LIBRARIES_CHANGE_NO_GLOBAL_STATE;

    @ArchTest
    static final ArchRule librariesUseNoLoggingBinding = ArchitectureRules.LIBRARIES_USE_NO_LOGGING_BINDING;

    @ArchTest
    static final ArchRule librariesUseNoCliFrontEnd = ArchitectureRules.LIBRARIES_USE_NO_CLI_FRONT_END;

    @ArchTest
    static final ArchRule sdkUsesNoServiceFrontEnd = ArchitectureRules.SDK_USES_NO_SERVICE_FRONT_END;
}
