package dev.kronograd.examples.spark

import breeze.linalg.DenseVector
import breeze.optimize.DiffFunction

import java.util.function.ToDoubleBiFunction

/**
 * Breeze's `DiffFunction` over a Java callback. Java cannot implement Breeze's Scala traits
 * itself (their `apply` clashes with `Function1.apply`), so this one adapter is Scala.
 *
 * @param valueAndGradient given θ and a gradient buffer of the same length, fills the buffer with
 *                         ∇f(θ) and returns f(θ)
 */
final class JavaDiffFunction(valueAndGradient: ToDoubleBiFunction[Array[Double], Array[Double]])
    extends DiffFunction[DenseVector[Double]] {

  override def calculate(x: DenseVector[Double]): (Double, DenseVector[Double]) = {
    val gradient = new Array[Double](x.length)
    val value = valueAndGradient.applyAsDouble(x.toArray, gradient)
    (value, DenseVector(gradient))
  }
}
