import test from 'node:test';
import assert from 'node:assert/strict';
import { detectListings } from '../../../extension/content/detect/index.js';
import { openHtml, openPage, validListings } from '../adapters/support.mjs';

const HOST = 'tasks.example.org';
const detect = (file, options = {}) => {
  const document = openPage(`https://${HOST}/list`, 'generic', file);
  return { document, found: detectListings(document, { host: HOST, ...options }) };
};

test('English cards: every card, its reward (not the rate, not the bonus), durations by label', () => {
  const { found } = detect('en-cards.html');
  const listings = validListings(found);
  assert.deepEqual(listings[0], {
    platform: 'generic:tasks.example.org',
    task_id: '/tasks/8812',
    requester_id: 'rq_4410',
    requester_name: 'Urban AI Lab',
    title: 'Label street photos',
    reward: { amount: '0.80', currency: 'USD' },
    advertised_duration_s: 360,
  });
  assert.deepEqual(listings.map((listing) => [listing.reward.amount, listing.reward.currency]), [['0.80', 'USD'], ['0.10', 'GBP'], ['1.20', 'USD'], ['3', 'USD'], ['0.50', 'USD']]);
  assert.deepEqual(listings.map((listing) => listing.advertised_duration_s), [360, 45, 720, undefined, 5400]);
  assert.deepEqual(listings.map((listing) => listing.time_allotted_s), [undefined, undefined, 5400, 2700, undefined], '"Time allotted" and "Expires in" are limits');
});

test('the promo banner, the balance and the footer are not listings; ids drop the parameters every link shares', () => {
  const { found } = detect('en-cards.html');
  assert.equal(found.length, 5);
  assert.deepEqual(found.map(({ listing }) => listing.task_id), ['/tasks/8812', '/tasks/8813', '/tasks/8820', '/tasks/8824', '/tasks/8830']);
  for (const { anchor, block } of found) {
    assert.equal(anchor.tagName, 'H3', 'the badge goes by the title');
    assert.equal(block.tagName, 'ARTICLE');
  }
});

test('a title holding a script tag is returned as text and the page is left untouched', () => {
  const { document, found } = detect('en-cards.html');
  const before = document.documentElement.outerHTML;
  const again = detectListings(document, { host: HOST });
  assert.equal(again[4].listing.title, 'Product survey <script>alert(1)</script>');
  assert.equal(found[4].listing.title, again[4].listing.title);
  assert.equal(document.documentElement.outerHTML, before);
  assert.equal(document.querySelectorAll('script').length, 0);
});

test('French table: rows, with column headers as labels; the totals row is not a listing', () => {
  const { found } = detect('fr-table.html');
  const listings = validListings(found);
  assert.equal(listings.length, 3);
  assert.deepEqual(listings[1], {
    platform: 'generic:tasks.example.org',
    task_id: '/missions/voir?id=7735',
    requester_id: 'name:géodata',
    requester_name: 'GéoData',
    title: 'Vérifier des adresses',
    reward: { amount: '1.20', currency: 'EUR' },
    advertised_duration_s: 600,
    time_allotted_s: 3600,
  });
  assert.deepEqual(listings.map((listing) => [listing.advertised_duration_s, listing.time_allotted_s]), [[300, 1800], [600, 3600], [45, 600]]);
  assert.ok(found.every(({ block }) => block.tagName === 'TR' && block.parentElement.tagName === 'TBODY'));
});

test('French list: euros read exactly, bonus and "il y a" ignored, "Expire dans" is a limit, points skipped', () => {
  const { found } = detect('fr-list.html');
  const listings = validListings(found);
  assert.deepEqual(listings.map((listing) => listing.title), ['Étude sur le sommeil', "Test d'une application bancaire", 'Avis sur des bandes-annonces', 'Entretien vidéo']);
  assert.deepEqual(listings.map((listing) => listing.reward.amount), ['2.40', '4.50', '0.30', '12']);
  assert.deepEqual(listings.map((listing) => listing.advertised_duration_s), [600, 5400, 90, 5400]);
  assert.deepEqual(listings.map((listing) => listing.time_allotted_s), [undefined, undefined, 1200, undefined]);
  assert.deepEqual(listings.map((listing) => listing.requester_name), ['Laboratoire Sommeil', 'UX Finance', 'CinéPanel', 'Institut Opinion']);
});

test('points: nothing without a rate in site data, exact money with one', () => {
  assert.deepEqual(detect('points.html').found, []);
  const sites = { [HOST]: { points: { units: [], value: { amount: '0.001', currency: 'EUR' }, source: 'test' } } };
  const listings = validListings(detect('points.html', { sites }).found);
  assert.deepEqual(listings.map((listing) => listing.reward), [
    { amount: '0.25', currency: 'EUR' },
    { amount: '1.20', currency: 'EUR' },
    { amount: '0.08', currency: 'EUR' },
  ]);
  assert.deepEqual(listings.map((listing) => listing.task_id), ['/s/1021', '/s/1022', '/s/1023']);
});

test('pages that are not listing pages give nothing', () => {
  for (const file of ['article.html', 'shop.html', 'menu.html']) assert.deepEqual(detect(file).found, [], file);
});

test('without a link, the id is a hash of what lasts: the same listing on the next visit, a new one if the task changes', () => {
  const page = (available, reward) => `<ul>
    <li><b>Tag photos</b> <span>${reward}</span> <span>5 min</span> <span>${available} left</span></li>
    <li><b>Rate tweets</b> <span>0,20 €</span> <span>2 min</span> <span>3 left</span></li></ul>`;
  const ids = (html) => detectListings(openHtml(`https://${HOST}/`, html), { host: HOST }).map(({ listing }) => listing.task_id);
  const first = ids(page(12, '0,10 €'));
  assert.equal(first.length, 2);
  assert.match(first[0], /^h:[0-9a-f]{16}$/);
  assert.notEqual(first[0], first[1]);
  assert.deepEqual(ids(page(7, '0,10 €')), first, 'a count that changes does not change the id');
  assert.notEqual(ids(page(12, '0,15 €'))[0], first[0]);
});

test('hidden blocks, navigation, form options and FairClick badges are not read', () => {
  const html = `<main>
    <select><option>Time allotted: 5 min $1</option><option>10 min $2</option></select>
    <nav><div>$1 · 5 min</div><div>$2 · 10 min</div></nav>
    <div hidden><p>$1 · 5 min</p><p>$2 · 10 min</p></div>
    <div aria-hidden="true"><p>$1 · 5 min</p><p>$2 · 10 min</p></div>
    <div><p>$1 <fairclick-badge>5 min</fairclick-badge></p><p>$2 <span data-fairclick>10 min</span></p></div>
  </main>`;
  assert.deepEqual(detectListings(openHtml(`https://${HOST}/`, html), { host: HOST }), []);
});

test('a single listing with a price and a duration is not enough to call a page a list', () => {
  const html = '<div class="offer"><h2>Join our panel</h2><p>Earn €2 for a 10 min survey</p></div>';
  assert.deepEqual(detectListings(openHtml(`https://${HOST}/`, html), { host: HOST }), []);
});

test('an empty or bodiless document gives nothing', () => {
  const document = openHtml(`https://${HOST}/`, '');
  document.documentElement.removeChild(document.body);
  assert.deepEqual(detectListings(document, { host: HOST }), []);
  assert.deepEqual(detectListings(openHtml(`https://${HOST}/`, '<p>hello</p>')), [], 'host defaults to the document URL');
});
