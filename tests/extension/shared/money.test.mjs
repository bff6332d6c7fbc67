import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareAmounts, formatMoney, fromUnits, normalizeAmount, scaleAmount, toUnits } from '../../../extension/shared/money.js';

test('amounts are exact decimals: no float rounding in comparisons', () => {
  assert.equal(toUnits('0.1') + toUnits('0.2'), toUnits('0.3'));
  assert.equal(compareAmounts('12.02', '12.0200'), 0);
  assert.equal(compareAmounts('12.019', '12.02'), -1);
  assert.equal(scaleAmount('10.00', '1.2'), '12.00');
  assert.equal(scaleAmount('12.02', 1.2), '14.424');
  assert.deepEqual(['1', '1.5', '1.05', '1.2345', '0'].map((amount) => fromUnits(toUnits(amount))), ['1.00', '1.50', '1.05', '1.2345', '0.00']);
  assert.throws(() => toUnits('1e3'), RangeError);
  assert.throws(() => toUnits('-1'), RangeError);
});

test('what the worker types becomes a contract amount, or nothing', () => {
  assert.deepEqual(['9,4', '9.40', '012.02', ' 7 ', '7.12345', 'abc', '', '-3'].map(normalizeAmount), ['9.40', '9.40', '12.02', '7.00', null, null, null, null]);
});

test('money is displayed in the worker\'s language', () => {
  const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ');
  assert.equal(formatMoney({ amount: '7.2', currency: 'GBP' }, 'en'), '£7.20');
  assert.equal(plain(formatMoney({ amount: '12.02', currency: 'EUR' }, 'fr')), '12,02 €');
});
