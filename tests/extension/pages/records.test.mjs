// A timing record's card in the popup: a running study followed into its own tab says so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordCard } from '../../../extension/pages/records.js';
import { endedRecord } from '../background/records.mjs';
import { page, t } from '../support/dom.mjs';

const running = (changes) => endedRecord({ state: 'running', ended_at: null, outcome: null, outcome_source: null, ...changes });

test('a running study with its own tab says that tab is timed and never read, in the worker\'s language', () => {
  const { document } = page();
  const card = recordCard(document, running({ study_tabs: [41] }), { t: t('fr'), language: 'fr', onChange: () => {} });
  assert.equal(card.querySelector('.study-tab').textContent, 'L\'onglet de l\'étude est chronométré aussi ; ses pages ne sont jamais lues.');
  for (const record of [running({ study_tabs: [] }), endedRecord({ study_tabs: [41] })]) {
    assert.equal(recordCard(document, record, { t: t('en'), language: 'en', onChange: () => {} }).querySelector('.study-tab'), null);
  }
});
