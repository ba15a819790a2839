import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyRowEdit, parseRowEdit, postedRows, rowEditor, rowsToText, textToRows, withRowsAsText } from '../../src/features/challenges/form-rows.ts';

describe('the challenge form’s row editors', () => {
  const body = { criteria_name: ['Impact', '', 'Cost'], criteria_weight: ['2', '', ''], criteria_scale: ['0-10', '', ''], criteria_guidance: ['Who | gains', '', ''] };

  it('turns the posted rows into the lines the parsers read, skipping blank rows and filling usual values', () => {
    assert.equal(withRowsAsText(body).criteria, 'Impact | 2 | 0-10 | Who / gains\nCost | 1 | 1-5 | ');
    assert.equal(withRowsAsText({ criteria: 'As text | 1 | 1-5' }).criteria, 'As text | 1 | 1-5', 'a text post stays as it is');
    assert.equal(postedRows({ ...body, criteria_remove: ['0', '2'] }, 'criteria')!.length, 1);
  });

  it('reads stored lines back as rows', () => {
    assert.deepEqual(textToRows('fields', 'Platform | choice | required | Web, iOS\n\nBudget | number'), [
      { label: 'Platform', type: 'choice', required: 'required', choices: 'Web, iOS' },
      { label: 'Budget', type: 'number', required: '', choices: '' },
    ]);
    assert.equal(rowsToText('fields', textToRows('fields', 'Budget | number | optional')), 'Budget | number | optional | ');
  });

  it('adds a blank row, moves a row, and ignores what is not an edit', () => {
    assert.equal(parseRowEdit('fields:drop:1'), null);
    const added = applyRowEdit(body, parseRowEdit('criteria:add')!);
    assert.deepEqual(added.criteria_name, ['Impact', '', 'Cost', '']);
    const moved = applyRowEdit(body, parseRowEdit('criteria:up:2')!);
    assert.deepEqual(moved.criteria_name, ['Impact', 'Cost', '']);
    assert.deepEqual(applyRowEdit(body, parseRowEdit('criteria:up:0')!).criteria_name, body.criteria_name, 'the first row cannot go up');
  });

  it('shows filled rows with two blank ones under them, each cell labelled by its column and row', () => {
    const editor = rowEditor('criteria', { criteria: 'Impact | 2 | 1-5' });
    assert.equal(editor.rows.length, 3);
    assert.equal(editor.rows[0]!.cells[0]!.label, 'Criterion, row 1');
    assert.equal(editor.rows[2]!.cells[1]!.placeholder, '1');
  });
});
