// The options page: threshold (default: the legal minimum wage, with its source), display
// choices, language, platforms, timing, service address, and the worker's records with
// export and delete.

import { ADAPTERS } from '../content/adapters/registry.js';
import { normalizeAmount } from '../shared/money.js';
import { DEFAULT_SERVICE_URL, originPattern } from '../shared/settings.js';
import { recordCard } from '../pages/records.js';
import { downloadJson, element, errorText, localize, send, syncStatusText } from '../pages/ui.js';

const $ = (id) => document.getElementById(id);
let t = (key) => key;
let language = 'en';

function say(messageId, error) {
  $(messageId).textContent = error ? errorText(error, t) : t('saved');
  $(messageId).toggleAttribute('data-error', Boolean(error));
}

async function update(patch, messageId) {
  const reply = await send('settings.update', { patch });
  if (messageId) say(messageId, reply.error);
  if (!reply.error) await render();
  return reply;
}

function thresholdSource(threshold) {
  if (!threshold) return t('threshold_service_default');
  if (threshold.origin === 'minimum_wage') {
    return t('threshold_from_minimum_wage', { country: threshold.name ?? threshold.country, source: threshold.source ?? '', date: threshold.date ?? '' });
  }
  return t('threshold_yours');
}

async function render() {
  const state = await send('state');
  ({ t, language } = await localize(document, state.settings));
  const { settings } = state;
  $('threshold-amount').value = settings.threshold?.amount ?? '';
  $('threshold-currency').value = settings.threshold?.currency ?? '';
  $('threshold-source').textContent = thresholdSource(settings.threshold);
  $('below-threshold').value = settings.belowThreshold;
  $('sort-by-hourly').checked = settings.sortByHourly;
  $('language').value = settings.language;
  $('idle-seconds').value = settings.idleSeconds;
  $('review-minutes').value = settings.reviewMinutes;
  $('service-url').value = settings.serviceUrl;

  $('platforms').replaceChildren(...[...new Set(ADAPTERS.map((adapter) => adapter.platform))].map((platform) => {
    const label = element(document, 'label', { className: 'check' });
    const box = element(document, 'input', { attrs: { type: 'checkbox' } });
    box.checked = settings.platforms[platform] !== false;
    box.addEventListener('change', () => update({ platforms: { ...settings.platforms, [platform]: box.checked } }));
    label.append(box, ` ${platform}`);
    return label;
  }));

  $('generic-empty').hidden = settings.genericSites.length > 0;
  $('generic-sites').replaceChildren(...settings.genericSites.map((site) => {
    const item = element(document, 'li', { text: `${site} ` });
    const remove = element(document, 'button', { text: t('action_generic_off'), attrs: { type: 'button' } });
    remove.addEventListener('click', async () => {
      await send('generic.disable', { url: site });
      await render();
    });
    item.append(remove);
    return item;
  }));

  $('sync-status').textContent = syncStatusText(state.sync, t, language);
  $('records-empty').hidden = state.records.length > 0;
  $('records').replaceChildren(...state.records.map((record) => {
    const card = recordCard(document, record, { t, language, onChange: render });
    if (!['running', 'ended', 'parked'].includes(record.state)) {
      const remove = element(document, 'button', { text: t('action_delete'), attrs: { type: 'button' } });
      remove.addEventListener('click', async () => {
        await send('records.delete', { ids: [record.id] });
        await render();
      });
      card.querySelector('.actions').append(remove);
    }
    return card;
  }));
}

$('threshold-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const amount = normalizeAmount($('threshold-amount').value);
  const currency = $('threshold-currency').value.trim().toUpperCase();
  if (!amount) {
    say('threshold-message', { code: 'error_threshold_amount' });
    return;
  }
  await update({ threshold: { amount, currency, origin: 'worker' } }, 'threshold-message');
});
$('threshold-default').addEventListener('click', async () => {
  const reply = await send('threshold.default');
  say('threshold-message', reply.error);
  await render();
});
$('below-threshold').addEventListener('change', (event) => update({ belowThreshold: event.target.value }));
$('sort-by-hourly').addEventListener('change', (event) => update({ sortByHourly: event.target.checked }));
$('language').addEventListener('change', (event) => update({ language: event.target.value }));
$('idle-seconds').addEventListener('change', (event) => update({ idleSeconds: Number(event.target.value) }));
$('review-minutes').addEventListener('change', (event) => update({ reviewMinutes: Number(event.target.value) }));
$('service-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const url = $('service-url').value.trim();
  let pattern;
  try { pattern = originPattern(url); } catch { pattern = null; }
  if (!pattern) {
    say('service-message', { code: 'error_service_url' });
    return;
  }
  // Loopback is granted at install; any other service needs the worker's yes, asked in this click.
  if (originPattern(url) !== originPattern(DEFAULT_SERVICE_URL) && !(await chrome.permissions.contains({ origins: [pattern] }))) {
    if (!(await chrome.permissions.request({ origins: [pattern] }))) {
      say('service-message', { code: 'error_service_permission' });
      return;
    }
  }
  await update({ serviceUrl: url }, 'service-message');
});
$('sync-now').addEventListener('click', async () => {
  await send('sync.now');
  await render();
});
$('export').addEventListener('click', async () => {
  const exported = await send('records.export');
  downloadJson(document, `fairclick-records-${new Date().toISOString().slice(0, 10)}.json`, exported);
});
$('delete-all').addEventListener('click', async () => {
  if (!confirm(t('confirm_delete_all'))) return;
  await send('records.delete', { all: true });
  await render();
});

fetchCurrencies();
render();

async function fetchCurrencies() {
  const table = await send('minimum-wages');
  const currencies = [...new Set((table.minimum_wages || []).map((row) => row.currency))].sort();
  $('currencies').replaceChildren(...currencies.map((code) => element(document, 'option', { attrs: { value: code } })));
}
