/**
 * A table as CSV (RFC 4180) for spreadsheets. Every download (scheme reports, the CPD record) uses this one writer: every
 * text cell is quoted, quotes doubled. A text cell that a spreadsheet would run as a formula (starting with
 * = + - @, or a tab or carriage return) gets a leading apostrophe (OWASP's advice on CSV injection).
 * Numbers are written as numbers. A byte-order mark tells Excel the file is UTF-8 (names, "£").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export type Cell = string | number;

export function csvCell(value: Cell): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}

export function toCsv(columns: string[], rows: Cell[][]): string {
  return `\uFEFF${[columns, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
