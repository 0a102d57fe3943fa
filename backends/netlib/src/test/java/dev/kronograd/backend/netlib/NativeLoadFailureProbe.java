package dev.kronograd.backend.netlib;

import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import dev.kronograd.backend.Availability;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;

/**
 * Child-JVM side of {@link NativeLoadFailureTest}: reports what the netlib providers say and do
 * under this JVM's {@code -Ddev.ludovic.netlib.blas.*} settings, as key=value lines on stdout
 * (the protocol with the parent test, hence System.out).
 */
public final class NativeLoadFailureProbe {

    private NativeLoadFailureProbe() {
    }

    public static void main(String[] args) {
        Availability availability = new NetlibNativeBackendProvider().availability();
        report("available", availability.available());
        report("detail", availability.detail());
        report("cause", availability.causeIfAny().map(NativeLoadFailureProbe::describe).orElse("none"));
        try {
            Guice.createInjector(new NetlibNativeBackendProvider().module()).getInstance(LinearAlgebra.class);
            report("provision", "ok");
        } catch (ProvisionException e) {
            Throwable cause = e.getCause();
            report("provision", describe(cause));
            report("provisionCause", cause.getCause() == null ? "none" : describe(cause.getCause()));
        }
        // The pure-Java backend still works in the same JVM.
        LinearAlgebra java = Guice.createInjector(new NetlibJavaBackendProvider().module()).getInstance(LinearAlgebra.class);
        double[] c = new double[1];
        java.gemm(Transpose.N, Transpose.N, 1, 1, 2, 1.0, new double[] {2, 3}, 0, 1, new double[] {5, 7}, 0, 2, 0.0, c, 0, 1);
        report("javaGemm", c[0]);
    }

    private static String describe(Throwable t) {
        return t.getClass().getName() + ": " + t.getMessage();
    }

    private static void report(String key, Object value) {
        System.out.println(key + "=" + String.valueOf(value).replace('\n', ' '));
    }
}
