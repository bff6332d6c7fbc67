import test from 'node:test';
import assert from 'node:assert/strict';
import { decimalNumberToAmount, displayedAmount, minorUnitsToAmount, multiplyAmount, shiftLeft } from '../../../extension/content/detect/money.js';

test('minor units become exact decimal strings', () => {
  assert.equal(minorUnitsToAmount(135, 'GBP'), '1.35');
  assert.equal(minorUnitsToAmount(5, 'EUR'), '0.05');
  assert.equal(minorUnitsToAmount(1050, 'USD'), '10.50');
  assert.equal(minorUnitsToAmount(0, 'GBP'), '0.00');
  assert.equal(minorUnitsToAmount(500, 'JPY'), '500', 'yen have no minor unit');
  assert.equal(minorUnitsToAmount(1234, 'KWD'), '1.234');
  assert.equal(minorUnitsToAmount('250', 'GBP'), '2.50');
  assert.equal(minorUnitsToAmount(9_007_199_254_740_991, 'GBP'), null, 'past the contract bound of 8 whole digits');
  for (const bad of [-1, 1.5, Number.NaN, Infinity, '12a', null, undefined, {}]) assert.equal(minorUnitsToAmount(bad, 'GBP'), null, String(bad));
});

test('JSON numbers are read by their digits, and float artefacts are refused rather than rounded', () => {
  assert.equal(decimalNumberToAmount(0.07), '0.07');
  assert.equal(decimalNumberToAmount(2), '2');
  assert.equal(decimalNumberToAmount(0.5), '0.50');
  assert.equal(decimalNumberToAmount(12.3456), '12.3456');
  assert.equal(decimalNumberToAmount('1.10'), '1.10');
  assert.equal(decimalNumberToAmount(0.1 + 0.2), null);
  assert.equal(decimalNumberToAmount(1e-7), null);
  assert.equal(decimalNumberToAmount(-1), null);
  assert.equal(decimalNumberToAmount(Number.NaN), null);
});

test('prices as pages print them, with either decimal mark and thousands groups', () => {
  const cases = [
    ['0,50', '0.50'], ['0.50', '0.50'], ['3', '3'], ['1 234,56', '1234.56'], ['1\u202f234,56', '1234.56'],
    ['1,234.56', '1234.56'], ['1.234,56', '1234.56'], ['1,234', '1234'], ['1.234', '1234'], ['0,500', '0.500'],
    ['12,5', '12.5'], ['1,000,000', '1000000'], ["1'250.00", '1250.00'], ['007', '7'],
  ];
  for (const [raw, expected] of cases) assert.equal(displayedAmount(raw), expected, raw);
  for (const bad of ['1,23,4', '1.2.3', '', 'abc', '123456789', '1.23456']) assert.equal(displayedAmount(bad), null, bad);
});

test('cents and points convert exactly', () => {
  assert.equal(shiftLeft('50', 2), '0.50');
  assert.equal(shiftLeft('5', 2), '0.05');
  assert.equal(shiftLeft('2.5', 2), '0.025');
  assert.equal(multiplyAmount('250', '0.001'), '0.25');
  assert.equal(multiplyAmount('1200', '0.001'), '1.20');
  assert.equal(multiplyAmount('3', '0.01'), '0.03');
  assert.equal(multiplyAmount('333', '0.00125'), '0.4163', 'five decimals round half up to the four the contract allows');
  assert.equal(multiplyAmount('100', '0.01'), '1');
});
