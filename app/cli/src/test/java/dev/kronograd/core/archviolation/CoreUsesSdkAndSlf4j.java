package dev.kronograd.core.archviolation;

/** Breaks the layering (core uses the SDK above it) and "core uses only the JDK" (slf4j). Never run. */
public final class CoreUsesSdkAndSlf4j {
    private CoreUsesSdkAndSlf4j() {
    }

    static Object upwards() {
        return dev.kronograd.sdk.Kronograd.builder();
    }

    static Object thirdParty() {
        return org.slf4j.LoggerFactory.getLogger(CoreUsesSdkAndSlf4j.class);
    }
}
