/**
 * A small RFC 4180 CSV reader for showing data files as HTML tables:
 * quoted fields, doubled quotes, commas and line breaks inside quotes,
 * CRLF or LF record ends, an optional UTF-8 byte order mark.
 */
export type CsvResult =
  | { ok: true; rows: string[][] }
  | { ok: false; line: number; message: string };

export function parseCsv(text: string): CsvResult {
  const input = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let line = 1;
  let i = 0;
  let fieldStarted = false;
  const endField = () => {
    row.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < input.length) {
    const c = input[i]!;
    if (c === '"' && !fieldStarted && field === '') {
      // A quoted field: runs to the next lone quote.
      const openedOn = line;
      i++;
      for (;;) {
        if (i >= input.length) return { ok: false, line: openedOn, message: 'a quoted field is never closed: add the closing double quote (")' };
        const q = input[i]!;
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      fieldStarted = true;
      const next = input[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        return { ok: false, line, message: 'text follows a closing double quote: put quotes around the whole field and double any quote inside it ("")' };
      }
      continue;
    }
    if (c === ',') {
      endField();
      i++;
    } else if (c === '\r' || c === '\n') {
      endRow();
      i += c === '\r' && input[i + 1] === '\n' ? 2 : 1;
      line++;
    } else {
      if (c === '"') return { ok: false, line, message: 'a double quote appears inside an unquoted field: quote the field and double the quote ("")' };
      field += c;
      fieldStarted = true;
      i++;
    }
  }
  if (field !== '' || fieldStarted || row.length > 0) endRow();
  return { ok: true, rows };
}
