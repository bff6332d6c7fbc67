// The worker's state lives only in chrome.storage (the worker may be killed at any moment
// and starts again cold). Every read-modify-write goes through one queue, so two messages
// handled at once cannot overwrite each other's change.

export function createStore(area) {
  let queue = Promise.resolve();
  const serialised = (task) => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };
  return {
    async get(key, fallback) {
      const found = await area.get(key);
      return found[key] === undefined ? fallback : found[key];
    },
    set(key, value) {
      return serialised(() => area.set({ [key]: value }));
    },
    /** Applies `change(current)` and stores its result; returns it. */
    update(key, change, fallback) {
      return serialised(async () => {
        const found = await area.get(key);
        const next = await change(found[key] === undefined ? structuredClone(fallback) : found[key]);
        await area.set({ [key]: next });
        return next;
      });
    },
    remove(key) {
      return serialised(() => area.remove(key));
    },
  };
}
