/**
 * The one rounding rule for every figure people read (pages, charts, exports, emails): to `digits`
 * decimals, halves away from zero (1.25 → 1.3, −1.25 → −1.3), and never a negative zero. The
 * product's raw floats (1.005 is stored as 1.00499…) are read at 15 significant digits first, as a
 * person would read them.
 */
export function roundTo(value: number, digits = 0): number {
  const factor = 10 ** digits;
  const scaled = Number((Math.abs(value) * factor).toPrecision(15));
  const rounded = (Math.sign(value) * Math.round(scaled)) / factor;
  return rounded === 0 ? 0 : rounded;
}

/** The figure with exactly `digits` decimals ("0.85", "12.0"), or `missing` when there is none. */
export function fixedText(value: number | null | undefined, digits: number, missing = '—'): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return missing;
  return roundTo(value, digits).toFixed(digits);
}
