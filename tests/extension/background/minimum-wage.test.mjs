import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { countriesOf, defaultThreshold } from '../../../extension/background/minimum-wage.js';

// The service's own table (server/data/minimum_wages.json) in the shape GET /v1/minimum-wages answers.
const TABLE = JSON.parse(readFileSync(new URL('../../../server/data/minimum_wages.json', import.meta.url), 'utf8')).wages;

test('the default threshold is the minimum wage of the locale\'s country, with its source', () => {
  const france = defaultThreshold(TABLE, ['fr-FR']);
  const row = TABLE.find((wage) => wage.country === 'FR');
  assert.deepEqual(
    [france.amount, france.currency, france.origin, france.country, france.source, france.date],
    [row.amount, row.currency, 'minimum_wage', 'FR', row.source, row.date],
  );
  assert.equal(defaultThreshold(TABLE, ['en-US', 'en']).country, 'US');
  assert.equal(defaultThreshold(TABLE, ['en-GB']).currency, 'GBP');
});

test('a language without a region still picks its main country; an unknown one picks nothing', () => {
  assert.deepEqual(countriesOf(['fr']), ['FR']);
  assert.deepEqual(countriesOf(['pt-BR', 'pt']), ['BR', 'PT']);
  assert.equal(defaultThreshold(TABLE, ['fr']).country, 'FR');
  assert.equal(defaultThreshold(TABLE, ['xx-ZZ']), null);
  assert.equal(defaultThreshold([], ['fr-FR']), null);
});
