// One badge: the hourly median, an icon and a word for its standing (readable without
// colour), and a panel shown on hover or focus. Built with textContent only: titles and
// names come from the page and are never parsed as HTML.

import { formatMoney } from '../../shared/money.js';
import { applyStyle } from './style.js';
import { SEVERITY_ICONS, describeWarning, formatDuration } from './warnings.js';

export const HOST_TAG = 'fairclick-badge';
export const BAND_ICONS = { below: '▼', near: '≈', above: '▲', unknown: '?' };

// Open shadow roots: page CSS still cannot reach in, and tests and assistive tools can.
const roots = new WeakMap();
const views = new WeakMap();
export const shadowOf = (host) => roots.get(host);

function element(document, tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function hourlyText(hourly, language) {
  return hourly ? formatMoney({ amount: hourly.median, currency: hourly.currency }, language) : '—';
}

function panelContent(document, { listing, score, bandName, t, language }) {
  const panel = element(document, 'div', 'panel');
  panel.setAttribute('role', 'tooltip');
  panel.id = 'panel';
  if (listing.title) panel.append(element(document, 'p', 'title', listing.title));
  panel.append(element(document, 'p', 'standing', `${BAND_ICONS[bandName]} ${t(`band_${bandName}`)}`));
  const facts = element(document, 'dl');
  const fact = (label, value) => facts.append(element(document, 'dt', null, t(label)), element(document, 'dd', null, value));
  if (score?.hourly) {
    const money = (amount) => formatMoney({ amount, currency: score.hourly.currency }, language);
    fact('panel_hourly', t('per_hour', { amount: money(score.hourly.median) }));
    fact('panel_range', t('range', { low: money(score.hourly.low), high: money(score.hourly.high) }));
  }
  if (score?.effective_hourly) fact('panel_effective_hourly', t('per_hour', { amount: formatMoney(score.effective_hourly, language) }));
  if (score?.duration_s) {
    fact('panel_duration', t('duration_range', {
      median: formatDuration(score.duration_s.median, t),
      low: formatDuration(score.duration_s.low, t),
      high: formatDuration(score.duration_s.high, t),
    }));
  }
  fact('panel_reports', String(score?.reports ?? 0));
  fact('panel_basis', t(`basis_${score?.basis ?? 'none'}`));
  panel.append(facts);
  const warnings = score?.warnings || [];
  if (warnings.length) {
    const list = element(document, 'ul');
    list.setAttribute('aria-label', t('panel_warnings'));
    for (const warning of warnings) {
      const item = element(document, 'li', null, `${SEVERITY_ICONS[warning.severity] ?? '•'} ${describeWarning(warning, t, language)}`);
      item.dataset.severity = warning.severity;
      item.dataset.code = warning.code;
      list.append(item);
    }
    panel.append(list);
  }
  if (!score) panel.append(element(document, 'p', 'note', t('panel_unavailable')));
  return panel;
}

/** A new host element holding the badge for `listing`, not yet in the page. */
export function createBadge(document, view, { signal }) {
  const host = document.createElement(HOST_TAG);
  const root = host.attachShadow({ mode: 'open' });
  roots.set(host, root);
  applyStyle(root, document);
  const wrapper = element(document, 'span', 'fc');
  root.append(wrapper);
  // The panel is built when first wanted: most badges are never opened, and building 100
  // panels up front would double the time a page of listings takes to annotate.
  const open = () => ensurePanel(host);
  host.addEventListener('pointerenter', open, { signal });
  host.addEventListener('focusin', open, { signal });
  // Our clicks must not reach the page: a listing row's own click handler would open the task.
  host.addEventListener('click', (event) => {
    event.stopPropagation();
    event.preventDefault();
    ensurePanel(host);
    host.toggleAttribute('data-open');
  }, { signal });
  host.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') host.removeAttribute('data-open');
  }, { signal });
  renderBadge(host, view);
  return host;
}

/** (Re)draws a badge for `view` = {listing, score, bandName, t, language}. */
export function renderBadge(host, view) {
  const root = roots.get(host);
  const document = host.ownerDocument;
  const wrapper = root.querySelector('.fc');
  wrapper.dataset.band = view.bandName;
  const button = element(document, 'button', 'badge');
  button.type = 'button';
  button.setAttribute('aria-describedby', 'panel');
  const hourly = hourlyText(view.score?.hourly, view.language);
  button.setAttribute('aria-label', `${t(view, 'badge_label', { hourly })} — ${t(view, `band_${view.bandName}`)}`);
  const icon = element(document, 'span', 'icon', BAND_ICONS[view.bandName]);
  icon.setAttribute('aria-hidden', 'true');
  button.append(icon, element(document, 'span', 'hourly', view.score?.hourly ? t(view, 'per_hour', { amount: hourly }) : '?'), element(document, 'span', 'word', t(view, `badge_word_${view.bandName}`)));
  wrapper.replaceChildren(button);
  views.set(host, view);
  // A badge redrawn while its panel was open keeps it open with the new figures.
  if (host.matches(':hover, :focus-within') || host.hasAttribute('data-open')) ensurePanel(host);
  host.dataset.band = view.bandName;
  host.dataset.taskId = view.listing.task_id;
}

const t = (view, key, params) => view.t(key, params);

/** The badge's panel (range, reports, basis, effective hourly, warnings), built on first use. */
export function ensurePanel(host) {
  const root = roots.get(host);
  const existing = root?.querySelector('.panel');
  if (existing || !root) return existing ?? null;
  const panel = panelContent(host.ownerDocument, views.get(host));
  root.querySelector('.fc').append(panel);
  return panel;
}
