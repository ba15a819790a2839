/** A span of time, roughly: "45 s", "12 min", "3 h 20 min", "4 days" ("4 Tage" in German: the other units are the same). */
export function formatDuration(ms: number, locale: 'en' | 'de' = 'en'): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} ${locale === 'de' ? 'Tage' : 'days'}`;
}

/** The value below which `share` (0–1) of the sorted values fall (nearest rank), or null when there are none. */
export function percentile(sorted: readonly number[], share: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
}
