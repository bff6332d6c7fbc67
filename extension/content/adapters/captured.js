// The JSON a page received, as the MAIN-world observer relayed it (context.captured): either
// bare bodies or {url, body} records, oldest first. Adapters read it as untrusted data.

const isObject = (value) => value !== null && typeof value === 'object';

/** [{url, body}] from context.captured, oldest first; url is null for a bare body. */
export function capturedBodies(context) {
  const captured = Array.isArray(context?.captured) ? context.captured : [];
  return captured
    .map((entry) => (isObject(entry) && typeof entry.url === 'string' && isObject(entry.body) ? { url: entry.url, body: entry.body } : { url: null, body: entry }))
    .filter((entry) => isObject(entry.body));
}

/** The `data-react-props` of the first element rendered by the React component `name`, parsed, or null. */
export function reactProps(document, name) {
  const element = document.querySelector(`[data-react-class*="${name}"]`);
  if (!element) return null;
  try {
    const props = JSON.parse(element.getAttribute('data-react-props') ?? '');
    return isObject(props) ? { element, props } : null;
  } catch {
    return null;
  }
}

export const textOf = (element) => (element ? element.textContent : '');
