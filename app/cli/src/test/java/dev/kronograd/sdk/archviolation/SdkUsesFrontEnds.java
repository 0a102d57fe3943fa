package dev.kronograd.sdk.archviolation;

/** The SDK using the service's and the CLI's front-end libraries. Never run. */
public final class SdkUsesFrontEnds {
    private SdkUsesFrontEnds() {
    }

    static Object json() {
        return new com.fasterxml.jackson.databind.ObjectMapper();
    }

    static Object chart() {
        return org.knowm.xchart.XYChart.class;
    }

    static Object desktop() {
        return java.awt.Color.RED;
    }
}
