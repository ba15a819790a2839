/** Colour arithmetic for the site's accent: WCAG contrast, and the lighter and darker shades the stylesheet needs. */

type Rgb = [number, number, number];

/** "#3b3bb3" → [59, 59, 179]; null unless a six-digit hex colour. */
export function parseHex(value: string): Rgb | null {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(value.trim());
  return match ? [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)] : null;
}

const toHex = (rgb: Rgb) => `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;

/** WCAG 2 relative luminance. */
function luminance([r, g, b]: Rgb): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio, from 1 (none) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [parseHex(a), parseHex(b)];
  if (!x || !y) return 1;
  const [light, dark] = [luminance(x), luminance(y)].sort((p, q) => q - p) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The accent is the colour of links on the page's light backgrounds and of buttons under white
 * text, so it needs WCAG AA's 4.5:1 against both white and the page background.
 */
export const MIN_ACCENT_CONTRAST = 4.5;
const LIGHT_BACKGROUNDS = ['#ffffff', '#f5f6fa'];
export const accentContrast = (accent: string) => Math.min(...LIGHT_BACKGROUNDS.map((background) => contrastRatio(accent, background)));

const mix = (rgb: Rgb, other: Rgb, weight: number): Rgb => rgb.map((channel, index) => channel + (other[index]! - channel) * weight) as Rgb;

/** The accent and the shades derived from it: darker for hover, a pale tint for chosen rows. */
export function accentShades(accent: string): { primary: string; dark: string; soft: string } {
  const rgb = parseHex(accent) ?? [59, 59, 179];
  return { primary: toHex(rgb), dark: toHex(mix(rgb, [0, 0, 0], 0.25)), soft: toHex(mix(rgb, [255, 255, 255], 0.88)) };
}
