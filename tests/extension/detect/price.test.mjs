import test from 'node:test';
import assert from 'node:assert/strict';
import { findPrices, parsePrice } from '../../../extension/content/detect/price.js';

const money = (text) => findPrices(text).map(({ amount, currency, points, rate }) => (points ? { points } : { amount, currency, rate }));

test('prices in English and French notation', () => {
  const cases = [
    ['0,50 €', '0.50', 'EUR'], ['€0.50', '0.50', 'EUR'], ['0.50€', '0.50', 'EUR'], ['£1.20', '1.20', 'GBP'], ['$3', '3', 'USD'],
    ['3$', '3', 'USD'], ['1.20 USD', '1.20', 'USD'], ['EUR 2', '2', 'EUR'], ['US$ 2.00', '2.00', 'USD'], ['CA$4.10', '4.10', 'CAD'],
    ['2,50 CHF', '2.50', 'CHF'], ['5 euros', '5', 'EUR'], ['1 234,56 €', '1234.56', 'EUR'], ['$1,234.56', '1234.56', 'USD'],
    ['50 cents', '0.50', 'USD'], ['20 centimes', '0.20', 'EUR'], ['Reward: $0.01', '0.01', 'USD'], ['Rémunération : 0,80 €', '0.80', 'EUR'],
  ];
  for (const [text, amount, currency] of cases) assert.deepEqual(money(text), [{ amount, currency, rate: false }], text);
});

test('an hourly (or other per-period) figure is marked as a rate', () => {
  for (const text of ['£9.00/hr', '$12 / hour', '3 € de l\'heure', '10 € par heure', '$5 a day', '9,50 €/h', '$5 per month']) {
    assert.deepEqual(money(text).map((price) => price.rate), [true], text);
  }
  assert.deepEqual(money('£1.35 · £9.00/hr').map((price) => price.rate), [false, true]);
});

test('points are found but carry no money of their own', () => {
  assert.deepEqual(money('250 points'), [{ points: '250' }]);
  assert.deepEqual(money('1 200 pts'), [{ points: '1200' }]);
  assert.deepEqual(findPrices('40 SB', { pointUnits: ['SB'] }).map((price) => price.points), ['40']);
  assert.deepEqual(findPrices('40 SB'), []);
});

test('figures that are not prices are left alone', () => {
  for (const text of ['v1.20 €uro', 'Task 12', '5 min', '4,5/5', 'REF 1234 EURX', 'A3AFJ33Q00UN6W', '2026']) assert.deepEqual(findPrices(text), [], text);
});

test('parsePrice takes the first money that is not a rate', () => {
  assert.deepEqual(parsePrice('£9.00/hr then £1.35'), { amount: '1.35', currency: 'GBP' });
  assert.equal(parsePrice('250 points'), null);
  assert.equal(parsePrice(null), null);
});
