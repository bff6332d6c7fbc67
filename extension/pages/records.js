// One timing record as a card the worker can act on: pause or resume a running record,
// say how it ended, correct its active minutes, discard it; later mark it approved,
// rejected or paid. Used by the popup and the options page.

import { describeTask, element, errorText, formatMinutes, formatTime, recordState, send } from './ui.js';

const OUTCOMES = ['submitted', 'returned', 'screened_out', 'timed_out'];
const LATER = ['approved', 'rejected', 'paid'];

export function recordCard(document, record, { t, language, onChange }) {
  const card = element(document, 'article', { className: 'record', attrs: { 'data-state': record.state, 'data-record-id': record.id } });
  const heading = element(document, 'h3', { text: describeTask(record, language) });
  const facts = element(document, 'p', {
    className: 'facts',
    text: t('record_facts', {
      platform: record.platform,
      started: formatTime(record.started_at, language),
      minutes: formatMinutes(record.active_s, language),
      state: recordState(record, t),
    }),
  });
  card.append(heading, facts);
  if (record.state === 'running' && record.study_tabs?.length) card.append(element(document, 'p', { className: 'study-tab', text: t('record_study_tab') }));
  if (record.outcome) card.append(element(document, 'p', { className: 'outcome', text: t('record_outcome', { outcome: t(`outcome_${record.outcome}`) }) }));
  if (record.error) card.append(element(document, 'p', { className: 'error', text: t('record_error', { status: record.error.status, message: record.error.message || record.error.code }) }));
  const message = element(document, 'p', { className: 'message', attrs: { role: 'status', 'data-error': '' } });
  const act = async (type, body) => {
    const reply = await send(type, { id: record.id, ...body });
    if (reply.error) message.textContent = errorText(reply.error, t);
    else onChange();
  };
  const button = (label, action, extra = {}) => {
    const node = element(document, 'button', { text: t(label), attrs: { type: 'button', ...extra } });
    node.addEventListener('click', action);
    return node;
  };

  const actions = element(document, 'div', { className: 'actions' });
  if (record.state === 'running') {
    actions.append(button(record.paused ? 'action_resume' : 'action_pause', () => act('timing.pause', { paused: !record.paused })));
  }
  if (['running', 'ended', 'parked'].includes(record.state)) {
    const form = element(document, 'form', { className: 'correct' });
    const outcomeLabel = element(document, 'label', { text: t('label_outcome') });
    const outcome = element(document, 'select', { attrs: { name: 'outcome' } });
    outcome.append(element(document, 'option', { text: t('outcome_choose'), attrs: { value: '' } }));
    for (const name of OUTCOMES) {
      const option = element(document, 'option', { text: t(`outcome_${name}`), attrs: { value: name } });
      if (record.outcome === name) option.selected = true;
      outcome.append(option);
    }
    outcomeLabel.append(outcome);
    const minutesLabel = element(document, 'label', { text: t('label_active_minutes') });
    const minutes = element(document, 'input', { attrs: { name: 'minutes', type: 'number', min: '0', step: '0.1', value: (record.active_s / 60).toFixed(1) } });
    minutesLabel.append(minutes);
    const save = element(document, 'button', { text: t(record.state === 'running' ? 'action_end' : 'action_save'), attrs: { type: 'submit' } });
    form.append(outcomeLabel, minutesLabel, save);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const body = {};
      if (outcome.value) body.outcome = outcome.value;
      else if (!record.outcome) {
        message.textContent = t('error_outcome');
        return;
      }
      const typed = Number(String(minutes.value).replace(',', '.'));
      if (record.state !== 'running' && Number.isFinite(typed) && Math.abs(typed * 60 - record.active_s) >= 1) body.active_s = Math.round(typed * 60);
      act('timing.correct', body);
    });
    card.append(form);
    actions.append(button('action_discard', () => act('timing.discard')));
  }
  if (['queued', 'synced'].includes(record.state) && record.outcome === 'submitted') {
    for (const status of LATER) {
      const known = record.outcomes.find((item) => item.status === status);
      actions.append(button(`later_${status}`, () => act('timing.later', { status }), known ? { disabled: '' } : {}));
    }
  }
  if (record.outcomes?.length) {
    card.append(element(document, 'p', {
      className: 'later',
      text: record.outcomes.map((item) => t('later_state', { status: t(`later_${item.status}`), state: t(`state_${item.state}`) })).join(' · '),
    }));
  }
  card.append(actions, message);
  return card;
}
