import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outcomeNoteOf } from '../../src/features/ideas/idea-status.ts';

describe('the reason My ideas gives for an outcome', () => {
  it('is the note of the move that gave the outcome, in a person’s words or Cocreate’s', () => {
    const dropped = {
      status: 'not-shortlisted',
      statusHistory: [
        { status: 'shortlisted', note: 'Added' },
        { status: 'not-shortlisted', note: 'The author withdrew it' },
      ],
    };
    assert.equal(outcomeNoteOf(dropped), 'The author withdrew it');
    const won = { status: 'winner', statusHistory: [{ status: 'winner', note: 'Won First prize', noteKey: 'ideaHistory.won', noteParams: { tier: 'First prize' } }] };
    assert.deepEqual(outcomeNoteOf(won), { key: 'ideaHistory.won', params: { tier: 'First prize' } });
  });

  it('is nothing where the page explains the outcome otherwise, or the last move gave no reason', () => {
    assert.equal(outcomeNoteOf({ status: 'approved', statusHistory: [{ status: 'approved', note: 'Welcome!' }] }), null, 'the copilots’ decision shows beside it');
    assert.equal(outcomeNoteOf({ status: 'not-awarded', statusHistory: [{ status: 'not-awarded', note: '' }] }), null);
    assert.equal(outcomeNoteOf({ status: 'winner', statusHistory: [] }), null);
  });
});
