// What the popup and the options page share: talking to the worker, the translator in the
// worker's chosen language, and plain-words descriptions of records and sync status.

import { loadMessages, localizePage, pickLanguage, translator } from '../shared/i18n.js';
import { formatMoney } from '../shared/money.js';

export async function send(type, body = {}) {
  const reply = await chrome.runtime.sendMessage({ ...body, type });
  return reply ?? { error: { code: 'error_internal' } };
}

/** The page translated into the worker's language; returns {t, language}. */
export async function localize(document, settings) {
  const language = pickLanguage(settings?.language ?? 'auto', chrome.i18n.getUILanguage());
  const t = translator(await loadMessages(language));
  document.documentElement.lang = language;
  localizePage(document, t);
  return { t, language };
}

export function formatTime(at, language) {
  if (!at) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(at));
}

export function formatMinutes(seconds, language) {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format((Number(seconds) || 0) / 60);
}

/** An error answer from the worker in the worker's words. */
export function errorText(error, t) {
  if (!error) return '';
  const key = typeof error.code === 'string' && error.code.startsWith('error_') ? error.code : 'error_internal';
  return t(key, { message: error.message ?? '' });
}

/** The last sync, in plain words, with what happens next. */
export function syncStatusText(sync, t, language) {
  const status = sync?.status ?? {};
  const parts = [];
  if (!status.last_attempt_at) parts.push(t('sync_never'));
  const error = status.last_error;
  if (status.last_attempt_at && !error) parts.push(t('sync_ok', { time: formatTime(status.last_success_at ?? status.last_attempt_at, language) }));
  if (error) {
    const time = formatTime(error.at, language);
    if (error.status === 0) parts.push(t('sync_error_network', { time, service: status.service ?? '' }));
    else if (error.status === 401) parts.push(t('sync_error_auth', { time }));
    else if (error.status === 408) parts.push(t('sync_error_timeout', { time }));
    else if (error.status === 429) parts.push(t('sync_error_busy', { time }));
    else if (error.status === 413) parts.push(t('sync_error_too_big', { time }));
    else if (error.status >= 500) parts.push(t('sync_error_unavailable', { time, status: error.status }));
    else parts.push(t('sync_error_refused', { time, status: error.status, message: error.message || error.code }));
  }
  if (sync?.pending) {
    parts.push(t('sync_pending', { count: sync.pending }));
    if (sync.next_at) parts.push(t('sync_next_try', { time: formatTime(Math.max(sync.next_at, Date.now()), language) }));
  }
  if (sync?.parked) parts.push(t('sync_parked', { count: sync.parked }));
  return parts.join(' ');
}

export function recordState(record, t) {
  if (record.state === 'running') return t(record.paused ? 'state_paused' : 'state_running');
  if (record.state === 'ended' && !record.outcome) return t('state_needs_answer');
  return t(`state_${record.state}`);
}

export function describeTask(record, language) {
  const reward = formatMoney(record.reward, language);
  return `${record.title || record.task_id} · ${reward}`;
}

/** Save a JSON document as a download, from an extension page. */
export function downloadJson(document, name, value) {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function element(document, tag, { className, text, attrs } = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  return node;
}
