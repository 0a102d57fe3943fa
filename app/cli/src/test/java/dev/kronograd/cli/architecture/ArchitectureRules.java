package dev.kronograd.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The architecture of DESIGN.md §4 as ArchUnit rules over the production classes of every Kronograd
 * module (the CLI's test class path holds them all). {@link ArchitectureTest} checks them against
 * today's code; {@link ArchitectureRulesCanFailTest} shows each one failing on a test-only class that
 * breaks it.
 */
public final class ArchitectureRules {

    /** Every package but the CLI's: the libraries embedders and Spark applications put on their class path. */
    static final String[] LIBRARY_PACKAGES = {
        "dev.kronograd.core..", "dev.kronograd.activations..", "dev.kronograd.backend..",
        "dev.kronograd.sdk..", "dev.kronograd.service..", "dev.kronograd.spark.."};

    /** The SDK and everything beneath it: what {@code kronograd-sdk} brings onto a host's class path. */
    static final String[] SDK_PACKAGES = {
        "dev.kronograd.core..", "dev.kronograd.activations..", "dev.kronograd.backend..", "dev.kronograd.sdk.."};

    /** SLF4J bindings and logging back ends: chosen by the application (here the CLI), never by a library. */
    static final String[] LOGGING_BINDINGS = {
        "org.slf4j.simple..", "org.slf4j.jul..", "org.slf4j.reload4j..", "org.slf4j.nop..",
        "org.slf4j.jdk.platform.logging..", "ch.qos.logback..", "org.apache.logging.slf4j..",
        "org.apache.log4j..", "org.apache.logging.log4j.core.."};

    /** The CLI's front-end libraries: command line, charts, desktop graphics. */
    static final String[] CLI_FRONT_ENDS = {
        "picocli..", "org.knowm.xchart..", "java.awt..", "javax.swing..", "javax.imageio.."};

    /** The service's front-end libraries: JSON and HTTP servers. */
    static final String[] SERVICE_FRONT_ENDS = {
        "com.fasterxml.jackson..", "com.sun.net.httpserver..", "org.eclipse.jetty..", "jakarta.servlet..",
        "javax.servlet..", "io.undertow..", "io.netty..", "io.micrometer..", "io.prometheus.."};

    /** The JVM-global state a library leaves alone: members by declaring class. */
    private static final Map<Class<?>, Set<String>> GLOBAL_STATE_CHANGES = Map.of(
            System.class, Set.of("setProperty", "clearProperty", "setProperties", "setOut", "setErr", "setIn",
                    "exit", "setSecurityManager"),
            Runtime.class, Set.of("exit", "halt", "addShutdownHook", "removeShutdownHook"),
            java.util.Locale.class, Set.of("setDefault"),
            java.util.TimeZone.class, Set.of("setDefault"),
            Thread.class, Set.of("setDefaultUncaughtExceptionHandler"));

    private ArchitectureRules() {
    }

    /**
     * {@code cli → service → sdk → {activations, backend} → core}, each backend {@code → backend → core},
     * {@code spark → sdk}. A layer may use the layers beneath it that it names, nothing above and
     * nothing beside it; every Kronograd class belongs to a layer, so a new package must be placed.
     */
    public static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("core").definedBy("dev.kronograd.core..")
            .layer("activations").definedBy("dev.kronograd.activations..")
            .layer("backend SPI").definedBy("dev.kronograd.backend")
            .layer("backends").definedBy("dev.kronograd.backend.*..")
            .layer("sdk").definedBy("dev.kronograd.sdk..")
            .layer("service").definedBy("dev.kronograd.service..")
            .layer("cli").definedBy("dev.kronograd.cli..")
            .layer("spark").definedBy("dev.kronograd.spark..")
            .whereLayer("core").mayNotAccessAnyLayer()
            .whereLayer("activations").mayOnlyAccessLayers("core")
            .whereLayer("backend SPI").mayOnlyAccessLayers("core")
            .whereLayer("backends").mayOnlyAccessLayers("backend SPI", "core")
            .whereLayer("sdk").mayOnlyAccessLayers("activations", "backend SPI", "core")
            .whereLayer("service").mayOnlyAccessLayers("sdk", "activations", "backend SPI", "core")
            .whereLayer("cli").mayOnlyAccessLayers("service", "sdk", "activations", "backend SPI", "core")
            .whereLayer("spark").mayOnlyAccessLayers("sdk", "activations", "backend SPI", "core")
            .ensureAllClassesAreContainedInArchitecture()
            .because("dependencies point one way (DESIGN.md §4): a lower module compiles and ships without the "
                    + "ones above it, and a backend is chosen at run time, never linked by the SDK or the CLI");

    /** Core depends on the JDK only (its incubator Vector API included). */
    public static final ArchRule CORE_USES_ONLY_THE_JDK = classes().that().resideInAPackage("dev.kronograd.core..")
            .should().onlyDependOnClassesThat(DescribedPredicate.or(
                    JavaClass.Predicates.resideInAPackage("dev.kronograd.core.."), jdkClass()))
            .because("kronograd-core has no dependencies (DESIGN.md §4): it logs through System.Logger and "
                    + "computes with its own kernels, so every other module can build on it");

    /** No package cycles, at the granularity of single packages. */
    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.kronograd.(**)")
            .should().beFreeOfCycles()
            .because("a package cycle ties packages together so that neither can be understood, tested "
                    + "or moved to another module alone");

    /** Printing belongs to the CLI. */
    public static final ArchRule LIBRARIES_DO_NOT_PRINT = noClasses().that().resideInAnyPackage(LIBRARY_PACKAGES)
            .should().accessTargetWhere(standardStreamOrPrintStackTrace())
            .because("a library's output goes to its caller (return values, exceptions) or to slf4j-api; "
                    + "the host's stdout may be a protocol stream, and stderr belongs to the application");

    /** JVM-global state belongs to the application: the CLI's entry points set what a kronograd process needs. */
    public static final ArchRule LIBRARIES_CHANGE_NO_GLOBAL_STATE = noClasses().that()
            .resideInAnyPackage(LIBRARY_PACKAGES)
            .should().accessTargetWhere(globalStateChange())
            .because("libraries change no JVM-global state (STYLE.md, DESIGN.md §4): a host embeds them next "
                    + "to other code that reads the same properties and streams, and a library must never "
                    + "end the host's process");

    /** Logging bindings belong to the application. */
    public static final ArchRule LIBRARIES_USE_NO_LOGGING_BINDING = noClasses().that()
            .resideInAnyPackage(LIBRARY_PACKAGES)
            .should().dependOnClassesThat().resideInAnyPackage(LOGGING_BINDINGS)
            .because("SLF4J-enabling a library adds only slf4j-api; the binding is the application's choice "
                    + "(the CLI's slf4j-simple, a host's logback)");

    /** No library carries the CLI's front ends. */
    public static final ArchRule LIBRARIES_USE_NO_CLI_FRONT_END = noClasses().that()
            .resideInAnyPackage(LIBRARY_PACKAGES)
            .should().dependOnClassesThat().resideInAnyPackage(CLI_FRONT_ENDS)
            .because("command-line parsing, charts and desktop graphics are the CLI's (kronograd-cli); "
                    + "an embedder's server has no use for them and may run headless");

    /** The SDK (and what it stands on) carries no JSON or HTTP front end. */
    public static final ArchRule SDK_USES_NO_SERVICE_FRONT_END = noClasses().that()
            .resideInAnyPackage(SDK_PACKAGES)
            .should().dependOnClassesThat().resideInAnyPackage(SERVICE_FRONT_ENDS)
            .because("the JSON case format and the HTTP service are kronograd-service's; the SDK an embedder "
                    + "depends on brings no JSON library or web server onto the host's class path");

    /**
     * Leaves out test jars ({@code *-tests.jar}) of the other modules; with
     * {@link ImportOption.DoNotIncludeTests} (test-classes folders) only production classes remain.
     */
    public static final class DoNotIncludeTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    /** Classes of the JDK's own modules (java.*, jdk.*, incubator ones included), primitives and their arrays. */
    private static DescribedPredicate<JavaClass> jdkClass() {
        Set<String> jdkPackages = ModuleFinder.ofSystem().findAll().stream()
                .map(ModuleReference::descriptor)
                .filter(d -> d.name().startsWith("java.") || d.name().startsWith("jdk."))
                .map(ModuleDescriptor::packages)
                .flatMap(Set::stream)
                .collect(Collectors.toUnmodifiableSet());
        return DescribedPredicate.describe("are JDK classes", c -> {
            JavaClass base = c.getBaseComponentType();
            return base.isPrimitive() || jdkPackages.contains(base.getPackageName());
        });
    }

    private static DescribedPredicate<JavaAccess<?>> standardStreamOrPrintStackTrace() {
        return DescribedPredicate.describe("System.out, System.err or Throwable.printStackTrace()", access -> {
            String owner = access.getTargetOwner().getName();
            String name = access.getTarget().getName();
            return owner.equals(System.class.getName()) && (name.equals("out") || name.equals("err"))
                    // printStackTrace() writes to System.err; the overloads taking a stream or writer are fine
                    || name.equals("printStackTrace") && access.getTarget().getFullName().endsWith("printStackTrace()");
        });
    }

    private static DescribedPredicate<JavaAccess<?>> globalStateChange() {
        String described = GLOBAL_STATE_CHANGES.entrySet().stream()
                .flatMap(e -> e.getValue().stream().sorted().map(m -> e.getKey().getSimpleName() + "." + m))
                .sorted()
                .collect(Collectors.joining(", "));
        return DescribedPredicate.describe(described, access -> GLOBAL_STATE_CHANGES.entrySet().stream()
                .anyMatch(e -> access.getTargetOwner().isEquivalentTo(e.getKey())
                        && e.getValue().contains(access.getTarget().getName())));
    }
}
