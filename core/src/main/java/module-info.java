/**
 * Kronograd core: column-major dense matrices with vec views, the {@code LinearAlgebra}
 * backend SPI with its plain-Java reference, and the structured {@code LinearOperator}
 * algebra (identity, diagonal, Kronecker, block stacks, compositions). Depends on the JDK only.
 */
module dev.kronograd.core {
    exports dev.kronograd.core;
    exports dev.kronograd.core.linalg;
    exports dev.kronograd.core.operator;
}
