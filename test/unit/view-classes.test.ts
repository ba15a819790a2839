import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PHASES } from '../../src/features/challenges/phases.ts';
import { ITEM_STATUSES } from '../../src/features/backlogs/workflow.ts';
import { IDEA_STATUSES } from '../../src/features/ideas/idea.model.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every class name a selector of the stylesheet mentions (comments and declarations left out). */
export function cssClasses(css: string): Set<string> {
  const classes = new Set<string>();
  const selectors = css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{/g);
  for (const [, selector] of selectors) for (const [, name] of selector!.matchAll(/\.([a-zA-Z_][\w-]*)/g)) classes.add(name!);
  return classes;
}

/**
 * The class attribute values of a template, with block helpers ({{#if}}, {{else}}, {{/if}}) read
 * as spaces and each value expression as `{}`, so `badge--phase-{{phase}}` reads `badge--phase-{}`.
 * Quotes inside a mustache (`{{concat "a" b}}`) do not end the attribute.
 */
export function classTokens(template: string): string[] {
  const tokens: string[] = [];
  for (const start of template.matchAll(/\sclass="/g)) {
    let index = start.index + start[0].length;
    let value = '';
    while (index < template.length && template[index] !== '"') {
      if (template.startsWith('{{', index)) {
        const end = template.indexOf('}}', index);
        const inner = template.slice(index + 2, end).trim();
        value += /^[#/^]|^else\b/.test(inner) ? ' ' : '{}';
        index = end + 2;
      } else {
        value += template[index];
        index += 1;
      }
    }
    tokens.push(...value.split(/\s+/).filter(Boolean));
  }
  return tokens;
}

// The values a class built from data can take: each needs its own rule.
const DYNAMIC: Record<string, readonly string[]> = {
  'badge--status-{}': IDEA_STATUSES,
  'badge--phase-{}': PHASES,
  'badge--item-{}': ITEM_STATUSES,
  'avatar--hue-{}': ['0', '1', '2', '3', '4', '5', '6', '7'],
  'notice--{}': ['success', 'info', 'error'],
  'timeline__step--{}': ['done', 'current', 'upcoming'],
};

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? templates(full) : entry.name.endsWith('.hbs') ? [full] : [];
  });
}

describe('the stylesheet and the views', () => {
  it('reads class names through block helpers and value expressions', () => {
    assert.deepEqual(classTokens('<p class="card{{#if (eq a "b")}} card--wide{{else}} card--narrow{{/if}} badge--phase-{{phase}}">'), ['card', 'card--wide', 'card--narrow', 'badge--phase-{}']);
    assert.deepEqual([...cssClasses('/* .commented */ .a, .b:hover > .c-d { color: red; margin: 0.5rem; }\n@media (max-width: 40rem) { .e { display: block; } }')], ['a', 'b', 'c-d', 'e']);
  });

  it('has a rule for every class used in a view (no element is left unstyled by a typo or a forgotten rule)', () => {
    const styled = cssClasses(readFileSync(path.join(ROOT, 'public/css/app.css'), 'utf8'));
    const missing: string[] = [];
    for (const file of templates(path.join(ROOT, 'views'))) {
      for (const token of classTokens(readFileSync(file, 'utf8'))) {
        const names = token.includes('{}') ? (DYNAMIC[token]?.map((value) => token.replace('{}', value)) ?? [token]) : [token];
        for (const name of names) if (!styled.has(name)) missing.push(`${path.relative(ROOT, file)}: .${name}`);
      }
    }
    assert.deepEqual([...new Set(missing)], [], 'classes without a rule in public/css/app.css (a class built from data is listed in DYNAMIC)');
  });

  it('writes no character beyond Latin-1 in a view: an entity instead (one such character makes every page using the view two-byte, see src/web/html-escape.ts)', () => {
    const wide = templates(path.join(ROOT, 'views')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (/[^\0-\xff]/.test(line) ? [`${path.relative(ROOT, file)}:${index + 1}: ${line.trim()}`] : [])),
    );
    assert.deepEqual(wide, []);
  });
});
