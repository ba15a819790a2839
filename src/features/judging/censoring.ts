/**
 * Scores at the ends of a scale are censored: a judge who gives the maximum would have given more
 * if the scale allowed, so a top score says "at least this", not "exactly this". With rounding
 * to `step`, a top score means the judge's unrounded opinion was at least max − step/2.
 */

/** Per score: +1 at the top of the scale, −1 at the bottom, 0 inside; and the two thresholds. */
export function censoring(observed: Float64Array, scale: { min: number; max: number } | undefined, step: number) {
  const side = new Int8Array(observed.length);
  if (scale && scale.max > scale.min) {
    for (let o = 0; o < observed.length; o++) {
      if (observed[o]! >= scale.max) side[o] = 1;
      else if (observed[o]! <= scale.min) side[o] = -1;
    }
  }
  return { side, upper: (scale?.max ?? 0) - step / 2, lower: (scale?.min ?? 0) + step / 2 };
}

const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** erfc with relative error < 1.2e-7 everywhere (Numerical Recipes' erfcc), good in the far tail. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * y ~ N(m, s²) known to be ≥ c: its mean, variance and δ = 1 − variance/s², which is also the
 * information about m carried by "≥ c" relative to an exact observation.
 */
export function truncatedAbove(m: number, s: number, c: number) {
  const alpha = (c - m) / s;
  const tail = 0.5 * erfc(alpha / SQRT2);
  const density = INV_SQRT_2PI * Math.exp(-0.5 * alpha * alpha);
  // Far in the tail the ratio tends to α (the density and tail both underflow): use that.
  const lambda = tail > 1e-300 ? density / tail : alpha;
  const delta = Math.min(1, Math.max(1e-6, lambda * (lambda - alpha)));
  return { mean: m + s * lambda, variance: s * s * (1 - delta), delta };
}
