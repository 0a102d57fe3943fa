package dev.kronograd.backend.netlib;

/**
 * Child-JVM side of {@link OpenBlasThreadsTest}: the thresholds netlib-native picks under this
 * JVM's environment, as key=value lines on stdout (the protocol with the parent test).
 */
public final class OpenBlasThreadsProbe {

    private OpenBlasThreadsProbe() {
    }

    public static void main(String[] args) {
        System.out.println("available=" + NetlibLinearAlgebra.nativeAvailability().available());
        System.out.println("detail=" + NetlibLinearAlgebra.nativeAvailability().detail());
        NetlibLinearAlgebra.Thresholds t = NetlibLinearAlgebra.nativeBlas().thresholds();
        System.out.println("thresholds=" + (t.equals(NetlibLinearAlgebra.Thresholds.SINGLE_THREADED_BLAS) ? "single"
                : t.equals(NetlibLinearAlgebra.Thresholds.MULTI_THREADED_BLAS) ? "multi" : t.toString()));
    }
}
