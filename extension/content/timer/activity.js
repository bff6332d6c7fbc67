// Feeds a page's visibility, focus and input events to an ActiveClock. Every listener is
// bound to `signal`, so leaving the task page removes them all.

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'scroll', 'touchstart', 'input'];
const INPUT_THROTTLE_MS = 1000;

export function watchActivity(window, clock, { signal, now }) {
  const { document } = window;
  clock.setVisible(document.visibilityState === 'visible');
  clock.setFocused(document.hasFocus());
  const options = { signal, capture: true, passive: true };
  document.addEventListener('visibilitychange', () => clock.setVisible(document.visibilityState === 'visible'), options);
  window.addEventListener('focus', () => clock.setFocused(true), options);
  window.addEventListener('blur', () => {
    // Focus moving into the task's own iframe blurs the window but keeps the document focused.
    window.setTimeout(() => clock.setFocused(document.hasFocus()), 0);
  }, options);
  let lastInput = -Infinity;
  const onInput = () => {
    const t = now();
    if (t - lastInput < INPUT_THROTTLE_MS) return;
    lastInput = t;
    clock.input();
  };
  for (const type of INPUT_EVENTS) document.addEventListener(type, onInput, options);
}

/**
 * Input inside a cross-origin task iframe (MTurk's ExternalQuestion, survey embeds) never
 * reaches this document; focus resting in that iframe is the only sign the worker is there.
 */
export function focusInFrame(document) {
  const active = document.activeElement;
  return Boolean(active && (active.localName === 'iframe' || active.localName === 'frame') && document.hasFocus());
}
