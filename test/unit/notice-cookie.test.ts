import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { message, translate } from '../../src/i18n/i18n.ts';
import { NOTICE_TTL_MS, noticeSealer, type Notice } from '../../src/web/notice-cookie.ts';

const SECRET = 'a-session-secret-that-is-long-enough-0123456789';
const sealer = noticeSealer(SECRET);
const decided = (title: string): Notice => ({ kind: 'success', message: message('curation.flash.decided', { title, decision: message('curation.decision.approve.past') }) });

describe('notices in a signed cookie', () => {
  it('opens to the notices sealed, in order, with their undo link, until they are stale', () => {
    const notices: Notice[] = [
      decided('Night buses'),
      { kind: 'info', message: message('curation.flash.queueClear'), action: { href: '/ideas/1#merged-into', label: message('curation.merge.undo') } },
    ];
    const value = sealer.seal(notices, 1_000)!;
    assert.deepEqual(sealer.open(value, 1_000), notices);
    assert.deepEqual(sealer.open(value, 1_000 + NOTICE_TTL_MS), notices, 'still within its time');
    assert.deepEqual(sealer.open(value, 1_000 + NOTICE_TTL_MS + 1), [], 'stale: nothing');
  });

  it('opens a forged, altered or foreign value to nothing, without throwing', () => {
    const value = sealer.seal([decided('Night buses')])!;
    const [payload, mac] = value.split('.') as [string, string];
    const altered = Buffer.from(payload, 'base64url').toString('utf8').replace('Night buses', 'Free money');
    const flipped = (text: string) => `${text.slice(0, -2)}${text.at(-2) === 'A' ? 'B' : 'A'}${text.at(-1)}`;
    for (const forged of [
      `${Buffer.from(altered).toString('base64url')}.${mac}`,
      `${flipped(payload)}.${mac}`,
      `${payload}.${flipped(mac)}`,
      `${payload}.`,
      `${payload}.${mac}x`,
      payload,
      '',
      '.',
      '%%%.%%%',
      noticeSealer(`${SECRET}-other`).seal([decided('Night buses')])!,
    ]) {
      assert.deepEqual(sealer.open(forged), [], `refused: ${forged.slice(0, 40)}`);
    }
  });

  it('keeps a date a date (a message writes it when shown, in the reader’s language and time zone)', () => {
    const at = new Date('2026-11-25T14:05:00Z');
    const [notice] = sealer.open(sealer.seal([{ kind: 'info', message: message('community.vote.allUsed', { budget: 3, at }) }])!);
    const params = (notice!.message as { params: Record<string, unknown> }).params;
    assert.ok(params.at instanceof Date);
    assert.equal((params.at as Date).getTime(), at.getTime());
    assert.equal(params.budget, 3);
  });

  it('stays within 3 kB: a long title is cut, then titles are left out, then the oldest notices go', () => {
    const long = `<script>${'Ünïcödé title 🚌 '.repeat(40)}</script>`;
    const one = sealer.open(sealer.seal([decided(long)])!);
    const shown = translate('en', one[0]!.message);
    assert.ok(shown.startsWith(`“<script>Ünïcödé title 🚌`), shown);
    assert.ok(shown.includes('…” is approved.'), shown);
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(shown), 'no half of a character');

    const many = Array.from({ length: 30 }, (_, n) => decided(`${n} ${long}`));
    const value = sealer.seal(many)!;
    assert.ok(value.length <= 3_000, `${value.length} characters`);
    const kept = sealer.open(value);
    assert.equal(translate('de', kept.at(-1)!.message), '„…“ ist angenommen.', 'without the title, in the reader’s language');
    assert.deepEqual(kept.at(-1), { kind: 'success', message: message('curation.flash.decided', { title: '…', decision: message('curation.decision.approve.past') }) });
    assert.ok(kept.length < many.length, 'the oldest went');
  });
});
