// Badges as the worker sees them: figures, standing in colour AND icon and word, translated
// warnings, and page text kept as text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOverlay } from '../../../../extension/content/overlay/overlay.js';
import { shadowOf } from '../../../../extension/content/overlay/badge.js';
import { page, t } from '../../support/dom.mjs';

const THRESHOLD = { amount: '10.00', currency: 'GBP' };
const settings = (changes = {}) => ({ threshold: THRESHOLD, belowThreshold: 'show', sortByHourly: false, ...changes });
const hourly = (median, low = '5.00', high = '20.00') => ({ median, low, high, currency: 'GBP' });
// As the service answers: its `below_threshold` warning says below or near (its own near ratio).
function standing(median) {
  if (median === null) return [];
  const level = Number(median) < 10 ? 'below' : Number(median) < 12 ? 'near' : null;
  return level ? [{ code: 'below_threshold', severity: level === 'below' ? 'danger' : 'warn', params: { hourly: median, threshold: '10.00', currency: 'GBP', level } }] : [];
}
const score = (taskId, median, changes = {}) => ({
  task_id: taskId,
  hourly: median === null ? null : hourly(median),
  effective_hourly: median === null ? null : { amount: median, currency: 'GBP' },
  duration_s: median === null ? null : { median: 480, low: 360, high: 720 },
  basis: median === null ? 'none' : 'task',
  reports: median === null ? 0 : 6,
  warnings: standing(median),
  ...changes,
});

function listPage(titles) {
  const window = page(`<!doctype html><ul>${titles.map((_, index) => `<li class="card"><h2 class="title"></h2><span>£1.00</span></li>`).join('')}</ul>`);
  const entries = [...window.document.querySelectorAll('li')].map((card, index) => {
    card.querySelector('.title').textContent = titles[index];
    return { listing: { platform: 'prolific', task_id: `task-${index}`, title: titles[index], reward: { amount: '1.00', currency: 'GBP' } }, anchor: card.querySelector('.title') };
  });
  return { window, entries };
}

/** Focuses the badge as a keyboard user would (Tab): its panel is built on first focus or hover. */
function focusBadge(host) {
  const { FocusEvent } = host.ownerDocument.defaultView;
  shadowOf(host).querySelector('.badge').dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
}

function badgeView(anchor) {
  const host = anchor.querySelector('fairclick-badge') ?? anchor.nextElementSibling;
  const root = shadowOf(host);
  assert.equal(root.querySelector('.panel'), null, 'no panel before the worker looks');
  focusBadge(host);
  return {
    band: root.querySelector('.fc').dataset.band,
    icon: root.querySelector('.icon').textContent,
    hourly: root.querySelector('.hourly').textContent,
    word: root.querySelector('.word').textContent,
    label: root.querySelector('.badge').getAttribute('aria-label'),
    panel: root.querySelector('.panel').textContent,
    warnings: [...root.querySelectorAll('li')].map((item) => [item.dataset.severity, item.textContent]),
    root,
  };
}

test('each badge shows the hourly median and its standing as a colour band, an icon and a word', () => {
  const { window, entries } = listPage(['Below', 'Near', 'Above', 'Unknown']);
  const overlay = createOverlay({ document: window.document, t: t('en'), language: 'en', settings: settings(), signal: new window.AbortController().signal });
  overlay.annotate(entries, [score('task-0', '7.13'), score('task-1', '11.99'), score('task-2', '12.00'), score('task-3', null)]);
  const views = entries.map(({ anchor }) => badgeView(anchor));
  assert.deepEqual(views.map((view) => [view.band, view.icon, view.hourly, view.word]), [
    ['below', '▼', '£7.13/h', 'low'],
    ['near', '≈', '£11.99/h', 'near'],
    ['above', '▲', '£12.00/h', 'ok'],
    ['unknown', '?', '?', 'no data'],
  ]);
  assert.equal(views[0].label, 'FairClick: £7.13 an hour — Below your threshold');
  assert.match(views[0].panel, /Likely range£5\.00 – £20\.00/);
  assert.match(views[0].panel, /Effective hourly£7\.13\/h/);
  assert.match(views[0].panel, /Time it takes8 min \(6 min – 12 min\)/);
  assert.match(views[0].panel, /Workers' reports6/);
  assert.match(views[0].panel, /Based ontimings of this task/);
  assert.match(views[3].panel, /Based onnothing yet/);
  // A badge sits beside the title, not inside it: the title's own link and text stay intact.
  assert.equal(entries[0].anchor.textContent, 'Below');
});

test('without the service\'s verdict (no rate for the currency) the threshold is compared here, in the same currency only', () => {
  const { window, entries } = listPage(['Same currency', 'Other currency']);
  const overlay = createOverlay({ document: window.document, t: t('en'), language: 'en', settings: settings(), signal: new window.AbortController().signal });
  overlay.annotate(entries, [score('task-0', '7.00', { warnings: [] }), score('task-1', '7.00', { warnings: [], hourly: { median: '7.00', low: '5.00', high: '9.00', currency: 'XAF' } })]);
  assert.deepEqual(entries.map(({ anchor }) => anchor.querySelector('fairclick-badge').dataset.band), ['below', 'above']);
});

test('warnings are worded in the worker\'s language with their parameters', () => {
  const { window, entries } = listPage(['Une étude']);
  const overlay = createOverlay({ document: window.document, t: t('fr'), language: 'fr', settings: settings(), signal: new window.AbortController().signal });
  overlay.annotate(entries, [score('task-0', '7.13', {
    warnings: [
      { code: 'below_threshold', severity: 'danger', params: { hourly: '7.13', threshold: '10.00', currency: 'GBP', level: 'below' } },
      { code: 'duration_underestimated', severity: 'warn', params: { ratio: 1.7, advertised_s: 300, measured_s: 480, basis: 'task' } },
      { code: 'screen_outs', severity: 'warn', params: { rate: 0.25, attempts: 12, scope: 'requester' } },
      { code: 'flagged', severity: 'danger', params: { reason: 'personal_data', count: 2 } },
      { code: 'something_new', severity: 'info', params: {} },
    ],
  })]);
  const { warnings, band, word } = badgeView(entries[0].anchor);
  assert.deepEqual([band, word], ['below', 'bas']);
  // French number formatting puts (narrow) no-break spaces before units: compare with plain spaces.
  const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ');
  assert.deepEqual(warnings.map(([severity, text]) => [severity, plain(text)]), [
    ['danger', "✖ Paie 7,13 £GB de l'heure, sous votre seuil de 10,00 £GB."],
    ['warn', '⚠ Prend environ 8 min alors que 5 min sont annoncées (1,7 fois plus long).'],
    ['warn', '⚠ 25 % de 12 tentatives se sont terminées par une exclusion non payée (ce demandeur).'],
    ['danger', '✖ Signalé par des travailleurs : demande des données personnelles (2).'],
    ['info', 'ℹ Alerte : something_new'],
  ]);
});

test('a title holding markup stays text: nothing is parsed, nothing runs', () => {
  const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
  const { window, entries } = listPage([hostile]);
  const overlay = createOverlay({ document: window.document, t: t('en'), language: 'en', settings: settings(), signal: new window.AbortController().signal });
  overlay.annotate(entries, [score('task-0', '20.00')]);
  const { root, panel } = badgeView(entries[0].anchor);
  assert.ok(panel.startsWith(hostile));
  assert.equal(root.querySelectorAll('img, script').length, 0);
  assert.equal(window.pwned, undefined);
});

test('badges live in a shadow root, and a click on one does not reach the page\'s own handlers', () => {
  const { window, entries } = listPage(['Study']);
  let opened = 0;
  window.document.querySelector('li').addEventListener('click', () => { opened += 1; });
  const overlay = createOverlay({ document: window.document, t: t('en'), language: 'en', settings: settings(), signal: new window.AbortController().signal });
  overlay.annotate(entries, [score('task-0', '20.00')]);
  const host = window.document.querySelector('fairclick-badge');
  assert.ok(host.shadowRoot, 'a shadow root');
  assert.equal(window.document.querySelectorAll('.badge, .panel').length, 0, 'nothing of ours in the page\'s own tree');
  shadowOf(host).querySelector('.badge').click();
  assert.equal(opened, 0);
  assert.ok(host.hasAttribute('data-open'), 'the click pins the panel open instead');
});

test('tasks below the threshold can be dimmed or hidden, and put back', () => {
  const { window, entries } = listPage(['Below', 'Above']);
  const choice = settings({ belowThreshold: 'dim' });
  const overlay = createOverlay({ document: window.document, t: t('en'), language: 'en', settings: choice, signal: new window.AbortController().signal });
  overlay.annotate(entries, [score('task-0', '5.00'), score('task-1', '30.00')]);
  const [below, above] = window.document.querySelectorAll('li');
  assert.deepEqual([below.style.opacity, above.style.opacity], ['0.45', '']);
  choice.belowThreshold = 'hide';
  overlay.arrange();
  assert.deepEqual([below.style.display, below.style.opacity, above.style.display], ['none', '', '']);
  choice.belowThreshold = 'show';
  overlay.arrange();
  assert.deepEqual([below.getAttribute('style'), above.getAttribute('style')], ['', null]);
  overlay.clear();
  assert.equal(window.document.querySelectorAll('fairclick-badge').length, 0);
});

test('sorting puts the best hourly first, unknown last, and leaves other page elements in place', () => {
  const window = page('<!doctype html><ul><li class="head">Header</li><li>a</li><li>b</li><li>c</li><li>d</li></ul>');
  const items = [...window.document.querySelectorAll('li')].slice(1);
  const entries = items.map((item, index) => ({ listing: { platform: 'prolific', task_id: `t${index}`, reward: { amount: '1.00', currency: 'GBP' } }, anchor: item }));
  const overlay = createOverlay({ document: window.document, t: t('en'), language: 'en', settings: settings({ sortByHourly: true }), signal: new window.AbortController().signal });
  overlay.annotate(entries, [score('t0', '8.00'), score('t1', null), score('t2', '30.00'), score('t3', '12.00')]);
  const order = () => [...window.document.querySelectorAll('li')].map((item) => item.firstChild.textContent);
  assert.deepEqual(order(), ['Header', 'c', 'd', 'a', 'b']);
  // A re-render that adds a task keeps the order honest.
  const added = window.document.createElement('li');
  added.textContent = 'e';
  window.document.querySelector('ul').append(added);
  overlay.annotate([{ listing: { platform: 'prolific', task_id: 't4', reward: { amount: '1.00', currency: 'GBP' } }, anchor: added }], [score('t4', '50.00')]);
  assert.deepEqual(order(), ['Header', 'e', 'c', 'd', 'a', 'b']);
});

test('a listing re-rendered by the page gets its badge back without a new score', () => {
  const { window, entries } = listPage(['Study']);
  const overlay = createOverlay({ document: window.document, t: t('en'), language: 'en', settings: settings(), signal: new window.AbortController().signal });
  overlay.annotate(entries, [score('task-0', '20.00')]);
  window.document.querySelector('fairclick-badge').remove();
  assert.equal(overlay.has(entries[0].anchor), false);
  overlay.arrange();
  assert.equal(window.document.querySelectorAll('fairclick-badge').length, 1);
});
