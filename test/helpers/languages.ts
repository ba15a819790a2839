import assert from 'node:assert/strict';
import { en } from '../../src/i18n/catalogue/index.ts';
import { missingKeys } from '../../src/i18n/i18n.ts';
import type { TestClient } from './http.ts';

/** The Accept-Language of a browser set to German. */
export const GERMAN = 'de-DE,de;q=0.9,en;q=0.5';

/** The visible text of a page, one entry per text node, entities decoded. */
function textNodes(html: string): string[] {
  const body = html.replace(/<(script|style)[\s\S]*?<\/\1>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  return body
    .split(/<[^>]+>/)
    .map((text) =>
      text
        .replace(/&#x27;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&#x3D;/g, '=')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean);
}

const words = (text: string) => text.split(/\s+/).filter((word) => /\p{L}/u.test(word)).length;

/** The catalogue's English texts of three words or more, each as a pattern for a whole text node. */
function englishPatterns(node: unknown): RegExp[] {
  if (typeof node === 'string') {
    if (words(node.replace(/\{\{\w+\}\}/g, '')) < 3) return [];
    const parts = node.split(/\{\{\w+\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return [new RegExp(`^${parts.join('.+')}$`)];
  }
  return Object.values(node as Record<string, unknown>).flatMap(englishPatterns);
}
const ENGLISH = englishPatterns(en);

/** The texts of the German page that are English: shared with the English page, or an English sentence of the catalogue. */
export function englishIn(german: string, english: string): string[] {
  const shared = new Set(textNodes(english).filter((text) => words(text) >= 3));
  return textNodes(german).filter((text) => shared.has(text) || ENGLISH.some((pattern) => pattern.test(text)));
}

/**
 * Reads the page in German and in English as `browser` and fails on English left on the German
 * one or a key missing from the catalogue.
 */
export async function expectGerman(browser: TestClient, path: string): Promise<void> {
  const german = await browser.get(path, { 'accept-language': GERMAN });
  const english = await browser.get(path, { 'accept-language': 'en' });
  assert.equal(german.status, english.status, `${path}: the same status in both languages`);
  assert.match(german.body_, /<html lang="de">/, path);
  assert.deepEqual(englishIn(german.body_, english.body_), [], `English text on the German page ${path}`);
  assert.deepEqual([...missingKeys], [], `keys missing from the catalogue on ${path}`);
}
