import test from 'node:test';
import assert from 'node:assert/strict';
import { advertisedInTitle, findDurations, parseDuration } from '../../../extension/content/detect/duration.js';

const seconds = (text) => findDurations(text).map((found) => found.seconds);

test('durations in English and French', () => {
  const cases = [
    ['5 min', 300], ['5 mins', 300], ['5min', 300], ['10 mn', 600], ['1 h 30', 5400], ['1h30', 5400], ['1h30m', 5400],
    ['1h30min', 5400], ['1 h 30 min', 5400], ['~10 minutes', 600], ['45 sec', 45], ['45 s', 45], ['45 secondes', 45],
    ['1:30', 90], ['0:45', 45], ['1:30:00', 5400], ['1:30 h', 5400], ['environ 10 minutes', 600], ['2 hrs', 7200],
    ['1 hour 1 minute', 3660], ['1 heure et 30 minutes', 5400], ['1,5 heure', 5400], ['1.5 hours', 5400], ['2 heures', 7200],
    ['Durée : 1:30', 90], ['3 jours', 259200],
  ];
  for (const [text, expected] of cases) assert.deepEqual(seconds(text), [expected], text);
});

test('a range counts as its upper bound, so an estimate is never shortened', () => {
  for (const text of ['5-10 min', '5 – 10 min', '5 à 10 minutes', '5 to 10 min', '5 min - 10 min']) assert.deepEqual(seconds(text), [600], text);
});

test('approximate and parenthesised durations are marked', () => {
  const [approx] = findDurations('environ 10 minutes');
  assert.equal(approx.approx, true);
  const [about] = findDurations('about 5 min');
  assert.equal(about.approx, true);
  const [inTitle] = findDurations('Survey (~ 3 minutes)');
  assert.equal(inTitle.parenthesized, true);
  const [plain] = findDurations('5 min');
  assert.equal(plain.approx || plain.parenthesized, false);
});

test('durations in days or weeks are marked long, and compounds are not split', () => {
  const [expiry] = findDurations('Nov 22, 2010 (6 days 7 hours)');
  assert.equal(expiry.seconds, 6 * 86400 + 7 * 3600);
  assert.equal(expiry.long, true);
  assert.deepEqual(seconds('(1 week 2 days)'), [9 * 86400]);
});

test('clock times, dates, metres and words are not durations', () => {
  for (const text of ['at 10:30 am', 'Posted 10:30, 12/03', '5 m', '3 sondages', '4-Minute Survey', 'ID 12s34', 'Note 4,5/5', 'v2.1 h']) {
    assert.deepEqual(seconds(text), [], text);
  }
});

test('several durations in one text are all found, in order', () => {
  assert.deepEqual(seconds('Estimated: 12 min · Time allotted: 1 h 30'), [720, 5400]);
});

test('parseDuration and the duration a title advertises', () => {
  assert.equal(parseDuration('9 mins'), 540);
  assert.equal(parseDuration('none'), null);
  assert.equal(advertisedInTitle('Consumer research survey (~ 10 minutes)'), 600);
  assert.equal(advertisedInTitle('Mark cars in a video, about 5 min'), 300);
  assert.equal(advertisedInTitle('Sondage (environ 8 min)'), 480);
  assert.equal(advertisedInTitle('Video length: 8 minutes'), null, 'a bare figure describes the content, not the work');
  assert.equal(advertisedInTitle('Diary study (~2 weeks)'), null);
});
