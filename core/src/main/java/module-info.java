/**
 * Kronograd core: column-major dense matrices with vec views, the {@code LinearAlgebra}
 * backend SPI with its plain-Java reference, and the structured {@code LinearOperator}
 * algebra (identity, diagonal, Kronecker, block stacks, compositions). Depends on the JDK only;
 * with {@code --add-modules jdk.incubator.vector} the outer product of B = 1 gradients uses the
 * incubating Vector API, without it the same results come from scalar code.
 */
module dev.kronograd.core {
    // Optional: read only when the JVM resolved it (javac warns "using incubating module(s)").
    requires static jdk.incubator.vector;

    exports dev.kronograd.core;
    exports dev.kronograd.core.linalg;
    exports dev.kronograd.core.operator;
}
