// A small RFC 4180 CSV parser: fields separated by commas, records by CRLF or
// LF (a lone CR too); a field in double quotes may hold commas, line breaks
// and doubled quotes (""). Lenient where exporters are sloppy: a quote inside
// an unquoted field is kept as text, text after a closing quote is appended,
// a missing final newline and a UTF-8 byte-order mark are fine.

export interface CsvTable {
  header: string[];
  rows: Record<string, string>[];
}

/** Every record as an array of fields. Blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let fieldStarted = false; // the current field has begun (a quote opens a field only at its start)
  const endField = () => {
    record.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      endField();
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (field !== '' || fieldStarted || record.length > 0) endRecord();
  return records;
}

/** The first record as the header (names trimmed), the others as objects keyed by it. */
export function parseCsvTable(text: string): CsvTable {
  const [head, ...rest] = parseCsv(text);
  const header = (head ?? []).map((h) => h.trim());
  const rows = rest.map((fields) => Object.fromEntries(header.map((name, i) => [name, fields[i] ?? ''])));
  return { header, rows };
}
