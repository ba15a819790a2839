/**
 * The little dense linear algebra the calibration needs: its only matrices are judges × judges
 * (the ideas are eliminated in closed form, see calibration.ts), so a plain Cholesky on a
 * row-major Float64Array is all it takes.
 */

/** In place: the lower triangle of `matrix` (n × n, symmetric positive definite) becomes L, L·Lᵀ = matrix. */
export function cholesky(matrix: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let diagonal = matrix[j * n + j]!;
    for (let k = 0; k < j; k++) diagonal -= matrix[j * n + k]! ** 2;
    // A tiny floor instead of a throw: the priors keep the matrix well inside the definite cone, so
    // this only catches rounding when a judge has no information at all.
    const root = Math.sqrt(Math.max(diagonal, 1e-12));
    matrix[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let value = matrix[i * n + j]!;
      for (let k = 0; k < j; k++) value -= matrix[i * n + k]! * matrix[j * n + k]!;
      matrix[i * n + j] = value / root;
    }
  }
}

/** Solves L·Lᵀ·x = b in place in `b`, with L from `cholesky`. */
export function choleskySolve(factor: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let value = b[i]!;
    for (let k = 0; k < i; k++) value -= factor[i * n + k]! * b[k]!;
    b[i] = value / factor[i * n + i]!;
  }
  backSubstitute(factor, n, b);
}

/** Solves Lᵀ·x = b in place: with b standard normal, x is a draw with covariance (L·Lᵀ)⁻¹. */
export function backSubstitute(factor: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let value = b[i]!;
    for (let k = i + 1; k < n; k++) value -= factor[k * n + i]! * b[k]!;
    b[i] = value / factor[i * n + i]!;
  }
}

/** The inverse of L·Lᵀ (n × n, row-major), column by column. */
export function choleskyInverse(factor: Float64Array, n: number): Float64Array {
  const inverse = new Float64Array(n * n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    column.fill(0);
    column[j] = 1;
    choleskySolve(factor, n, column);
    for (let i = 0; i < n; i++) inverse[i * n + j] = column[i]!;
  }
  return inverse;
}
