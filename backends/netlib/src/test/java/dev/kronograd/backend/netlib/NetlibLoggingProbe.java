package dev.kronograd.backend.netlib;

import com.google.inject.Guice;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.Transpose;

/**
 * Child-JVM side of {@link NetlibLoggingTest}: uses both netlib backends as {@code auto} would
 * (availability of each, then a pure-Java gemm) and reports, as key=value lines on stdout, whether
 * netlib's java.util.logging loggers were left without a filter.
 */
public final class NetlibLoggingProbe {

    private NetlibLoggingProbe() {
    }

    public static void main(String[] args) {
        report("nativeAvailable", new NetlibNativeBackendProvider().availability().available());
        report("javaDetail", new NetlibJavaBackendProvider().availability().detail());
        LinearAlgebra pureJava = Guice.createInjector(new NetlibJavaBackendProvider().module()).getInstance(LinearAlgebra.class);
        double[] c = new double[1];
        pureJava.gemm(Transpose.N, Transpose.N, 1, 1, 2, 1.0, new double[] {2, 3}, 0, 1, new double[] {5, 7}, 0, 2, 0.0, c, 0, 1);
        report("javaGemm", c[0]);
        for (String builder : NetlibInitialisation.INSTANCE_BUILDERS) {
            report("filter " + builder, java.util.logging.Logger.getLogger(builder).getFilter());
        }
    }

    private static void report(String key, Object value) {
        System.out.println(key + "=" + String.valueOf(value).replace('\n', ' '));
    }
}
