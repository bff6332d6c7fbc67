// Timing one task page: asks the worker to start (or resume) a record, runs the active
// clock, reports it every few seconds, and ends the record when the page is left or an
// adapter sees how the task ended. The worker's pause in the popup reaches the clock here.

import { ActiveClock } from './clock.js';
import { focusInFrame, watchActivity } from './activity.js';

export const BEAT_MS = 5000;
const GESTURE_EVERY_MS = 2000;
// A click that opens the study's tab: a link, a middle click, the context menu's "open in new tab".
const GESTURES = ['click', 'auxclick', 'contextmenu'];

/**
 * deps: {window, worker, runtime, now, settings: {idleSeconds}}; task: an adapter's
 * readTask result. Resolves to the session, or null when the worker would not start one.
 */
export async function startSession(task, { window, worker, runtime, now, settings, signal }) {
  const started = await worker.send('timing.start', { task, assignment_id: task.assignment_id ?? null });
  if (!started?.record_id || signal.aborted) return null;
  const clock = new ActiveClock({ now, idleMs: settings.idleSeconds * 1000, paused: Boolean(started.paused) });
  watchActivity(window, clock, { signal, now });
  const base = started.active_s || 0;
  const activeSeconds = () => base + clock.activeMs() / 1000;
  let over = false;

  const finish = (outcome = null) => {
    if (over) return;
    over = true;
    window.clearInterval(timer);
    worker.send('timing.end', { record_id: started.record_id, active_s: activeSeconds(), outcome }).catch(() => {});
  };

  // The worker follows the tab the study opens in only if it was opened by the worker's own
  // click here (background/study-tabs.js). Only that it happened is sent, never where.
  let lastGesture = -Infinity;
  const gesture = () => {
    const t = now();
    if (over || t - lastGesture < GESTURE_EVERY_MS) return;
    lastGesture = t;
    worker.send('timing.gesture', { record_id: started.record_id }).catch(() => {});
  };
  for (const type of GESTURES) window.document.addEventListener(type, gesture, { signal, capture: true, passive: true });

  const timer = window.setInterval(async () => {
    // A click inside the task's cross-origin frame never reaches this document; focus there is all we see.
    if (focusInFrame(window.document)) {
      clock.input();
      gesture();
    }
    const reply = await worker.send('timing.beat', { record_id: started.record_id, active_s: activeSeconds() }).catch(() => null);
    if (!reply) return;
    clock.setPaused(reply.paused);
    // Ended or discarded from the popup: this page stops reporting.
    if (!reply.running) {
      over = true;
      window.clearInterval(timer);
    }
  }, BEAT_MS);

  const onMessage = (message) => {
    if (message?.record_id !== started.record_id) return;
    if (message.type === 'timing.paused') clock.setPaused(Boolean(message.paused));
    if (message.type === 'timing.ended') {
      over = true;
      window.clearInterval(timer);
    }
  };
  runtime.onMessage.addListener(onMessage);
  window.addEventListener('pagehide', () => finish(), { signal });
  signal.addEventListener('abort', () => {
    runtime.onMessage.removeListener(onMessage);
    finish();
  }, { once: true });

  return {
    recordId: started.record_id,
    clock,
    activeSeconds,
    /** An adapter read the ending on the page ("submitted", "returned", ...). */
    end: finish,
  };
}
