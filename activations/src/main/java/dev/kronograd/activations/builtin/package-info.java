/**
 * The built-in activations (not exported from the module; reach them by name through
 * {@link dev.kronograd.activations.ActivationRegistry}).
 *
 * <p>Conventions shared by all of them:
 * <ul>
 *   <li>At a kink (z = 0 for relu, leaky-relu, elu, selu, softsign) the {@code z ≤ 0} branch is
 *       used for σ, σ' and σ''; this gives relu'(0) = 0 like the major frameworks.</li>
 *   <li>NaN in gives NaN out, for σ, σ' and σ''.</li>
 *   <li>±∞ gives the limit of σ, σ', σ'' where it exists.</li>
 *   <li>No intermediate overflows for any finite z; values whose true magnitude is below
 *       {@link Double#MIN_VALUE} come out as (signed) zero.</li>
 *   <li>The bulk forms loop over the same kernels as the scalar forms, so they agree bit for bit.</li>
 * </ul>
 */
package dev.kronograd.activations.builtin;
