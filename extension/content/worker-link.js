// Messages from a content script to the extension's worker. A worker that was updated or
// reloaded under a live page rejects them; the page then simply stops annotating.

export function workerLink(runtime) {
  return {
    async send(type, body = {}) {
      return runtime.sendMessage({ ...body, type });
    },
  };
}
