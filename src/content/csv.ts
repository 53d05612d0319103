/**
 * A small RFC 4180 CSV reader for showing data files as HTML tables:
 * quoted fields, doubled quotes, commas and line breaks inside quotes,
 * CRLF or LF record ends, an optional UTF-8 byte order mark.
 *
 * Rows are handed to a visitor one at a time and fields are cut out of the
 * text whole (not built a character at a time), so a data file at the size
 * limit costs one pass and no more memory than the rows the caller keeps.
 */
export type CsvResult = { ok: true; rows: string[][] } | { ok: false; line: number; message: string };

export interface CsvError {
  line: number;
  message: string;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Reads every row, calling `onRow` with its fields and the line it starts on; returns the first error, or null. */
export function readCsv(text: string, onRow: (fields: string[], line: number) => void): CsvError | null {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const n = input.length;
  let row: string[] = [];
  let line = 1;
  let rowLine = 1;
  let i = 0;
  while (i < n) {
    if (input.charCodeAt(i) === QUOTE) {
      // A quoted field: runs to the next lone quote.
      const openedOn = line;
      let field = '';
      i++;
      for (;;) {
        const q = input.indexOf('"', i);
        if (q === -1)
          return { line: openedOn, message: 'a quoted field is never closed: add the closing double quote (")' };
        const chunk = input.slice(i, q);
        line += countLineFeeds(chunk);
        field += chunk;
        if (input.charCodeAt(q + 1) === QUOTE) {
          field += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      const next = input.charCodeAt(i);
      if (i < n && next !== COMMA && next !== LF && next !== CR) {
        return {
          line,
          message:
            'text follows a closing double quote: put quotes around the whole field ' +
            'and double any quote inside it ("")',
        };
      }
      row.push(field);
    } else {
      let j = i;
      for (; j < n; j++) {
        const c = input.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR) break;
        if (c === QUOTE)
          return {
            line,
            message: 'a double quote appears inside an unquoted field: quote the field and double the quote ("")',
          };
      }
      row.push(input.slice(i, j));
      i = j;
    }
    if (i >= n) break;
    if (input.charCodeAt(i) === COMMA) {
      i++;
      if (i >= n) row.push(''); // "a," ends with an empty field
      continue;
    }
    onRow(row, rowLine);
    row = [];
    i += input.charCodeAt(i) === CR && input.charCodeAt(i + 1) === LF ? 2 : 1;
    line++;
    rowLine = line;
  }
  if (row.length > 0) onRow(row, rowLine);
  return null;
}

/** Every row at once: for small files and tests. */
export function parseCsv(text: string): CsvResult {
  const rows: string[][] = [];
  const error = readCsv(text, (fields) => rows.push(fields));
  return error ? { ok: false, ...error } : { ok: true, rows };
}

function countLineFeeds(s: string): number {
  let count = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) count++;
  return count;
}

const PLAIN_NUMBER = /^[+-]?(?:\d[\d ,]*)?(?:\.\d+)?(?:e[+-]?\d+)?%?$/i;

/**
 * A cell a spreadsheet program may run as a formula when the file is opened
 * (=HYPERLINK(…) and worse): one starting with =, @, a tab or a carriage
 * return, or with + or - followed by anything but a plain number.
 */
export function looksLikeFormula(cell: string): boolean {
  const first = cell.charCodeAt(0);
  if (first === 0x3d /* = */ || first === 0x40 /* @ */ || first === 0x09 || first === CR) return true;
  if (first === 0x2b /* + */ || first === 0x2d /* - */) return !PLAIN_NUMBER.test(cell);
  return false;
}
