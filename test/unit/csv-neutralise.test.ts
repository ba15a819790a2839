import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { csvStringifier, neutraliseCell } from '../../src/features/exports/csv.ts';

async function csvOf(columns: string[], rows: Array<Record<string, unknown>>): Promise<string> {
  // Decoded by hand: TextDecoder (stream/consumers' text) would drop the byte order mark.
  return (await buffer(Readable.from(rows).pipe(csvStringifier(columns)))).toString('utf8');
}

describe('CSV cells a spreadsheet would run as formulas', () => {
  it('prefixes a cell starting with =, +, -, @, tab or carriage return with a single quote', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      assert.equal(neutraliseCell(`${start}SUM(1)`), `'${start}SUM(1)`, JSON.stringify(start));
    }
  });

  it('leaves every other cell as it is, including a formula character later in the text', () => {
    for (const value of ['', 'Plain title', "'=already quoted", ' =SUM(1)', 'a=b', '3-2', 'e@mail.test', 'Ünïcode – dash']) {
      assert.equal(neutraliseCell(value), value);
    }
  });

  it('writes a header row, neutralises text and joined lists, and keeps numbers, booleans and nulls readable', async () => {
    const csv = await csvOf(
      ['title', 'tags', 'votes', 'hidden', 'shippedAt'],
      [
        { title: '=HYPERLINK("http://evil.test","click")', tags: ['@admin', 'ok'], votes: -3, hidden: false, shippedAt: null },
        { title: 'Fine, with "quotes"', tags: [], votes: 12, hidden: true, shippedAt: '2026-01-02T03:04:05.000Z' },
      ],
    );
    assert.ok(csv.startsWith('\uFEFF'), 'a byte order mark, so spreadsheets read UTF-8');
    const records = parse(csv, { bom: true, columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(records, [
      { title: `'=HYPERLINK("http://evil.test","click")`, tags: "'@admin; ok", votes: '-3', hidden: 'false', shippedAt: '' },
      { title: 'Fine, with "quotes"', tags: '', votes: '12', hidden: 'true', shippedAt: '2026-01-02T03:04:05.000Z' },
    ]);
  });

  it('writes the header row even when there are no rows', async () => {
    assert.equal(await csvOf(['id', 'title'], []), '\uFEFFid,title\n');
  });
});
