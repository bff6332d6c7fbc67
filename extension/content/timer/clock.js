// Active time on a task: it runs only while the tab is visible, the window has focus, the
// worker has not paused it, and the last input is more recent than the idle limit. Pure
// (the time source is injected), so tests drive it with a fake clock.

export class ActiveClock {
  #now;
  #accrued = 0;
  #since;
  #lastInput;

  constructor({ now, idleMs, visible = true, focused = true, paused = false }) {
    this.#now = now;
    this.idleMs = idleMs;
    this.visible = visible;
    this.focused = focused;
    this.paused = paused;
    this.#since = now();
    // Opening the task is itself an action of the worker's.
    this.#lastInput = this.#since;
  }

  /** Adds the active part of [since, t]: counting conditions have held since `since`. */
  #advance(t) {
    if (this.visible && this.focused && !this.paused) {
      const end = Math.min(t, this.#lastInput + this.idleMs);
      if (end > this.#since) this.#accrued += end - this.#since;
    }
    this.#since = Math.max(this.#since, t);
  }

  input() {
    const t = this.#now();
    this.#advance(t);
    this.#lastInput = t;
  }

  setVisible(visible) {
    this.#advance(this.#now());
    this.visible = visible;
  }

  /** Coming back to the window is an action too: the worker looks at the task again. */
  setFocused(focused) {
    this.#advance(this.#now());
    this.focused = focused;
    if (focused) this.#lastInput = this.#now();
  }

  setPaused(paused) {
    this.#advance(this.#now());
    this.paused = paused;
  }

  setIdleMs(idleMs) {
    this.#advance(this.#now());
    this.idleMs = idleMs;
  }

  activeMs() {
    this.#advance(this.#now());
    return this.#accrued;
  }

  /** Is the clock counting right now? (for the tests and the page's own state) */
  get running() {
    return this.visible && this.focused && !this.paused && this.#now() < this.#lastInput + this.idleMs;
  }
}
