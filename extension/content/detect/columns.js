// In a table, what a cell means is written once, in its column's header ("Rémunération",
// "Temps imparti", "Donneur d'ordre"), not next to the figure.

const headersByTable = new WeakMap();

function readHeaders(table) {
  const head = table.tHead?.rows[0] ?? [...table.rows].find((row) => row.cells.length > 1 && [...row.cells].every((cell) => cell.tagName === 'TH'));
  return head ? [...head.cells].map((cell) => cell.textContent.replace(/\s+/g, ' ').trim()) : [];
}

/** The header text of the column of the data cell holding `element`, or ''. */
export function columnHeader(element) {
  const cell = element.closest('td, th');
  if (!cell || cell.tagName !== 'TD') return '';
  const table = cell.closest('table');
  if (!table) return '';
  let headers = headersByTable.get(table);
  if (!headers) {
    headers = readHeaders(table);
    headersByTable.set(table, headers);
  }
  return headers[cell.cellIndex] ?? '';
}
