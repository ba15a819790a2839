import type { Words } from './tables.ts';

/**
 * Server-rendered SVG charts: no script, readable by screen readers through <title>/<desc> and
 * always shown with the data table they draw (the table is the accessible source of truth).
 */
const escape = (text: string) => text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

export type Bar = { label: string; value: number | null };

/**
 * Horizontal bars, one per row, scaled to the largest value; a null value (withheld) draws no bar
 * and says so. `id` names the chart for aria-labelledby; `words` writes the values in the reader's language.
 */
export function barChart(words: Words, options: { id: string; title: string; description: string; bars: Bar[]; unit?: string }): string {
  const rowHeight = 28;
  const labelWidth = 190;
  const barWidth = 360;
  const height = Math.max(rowHeight, options.bars.length * rowHeight) + 8;
  const max = Math.max(1, ...options.bars.map((bar) => bar.value ?? 0));
  const rows = options.bars
    .map((bar, index) => {
      const y = 4 + index * rowHeight;
      const width = bar.value === null ? 0 : Math.max(bar.value > 0 ? 2 : 0, Math.round((bar.value / max) * barWidth));
      const text = bar.value === null ? words.t('figures.withheldBar') : `${words.count(bar.value)}${options.unit ?? ''}`;
      return (
        `<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end" class="chart__label">${escape(bar.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${width}" height="${rowHeight - 10}" class="chart__bar"></rect>` +
        `<text x="${labelWidth + width + 6}" y="${y + 18}" class="chart__value">${escape(text)}</text>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${labelWidth + barWidth + 90} ${height}" aria-labelledby="${options.id}-title ${options.id}-desc">` +
    `<title id="${options.id}-title">${escape(options.title)}</title><desc id="${options.id}-desc">${escape(options.description)}</desc>${rows}</svg>`
  );
}
