/**
 * The CSV dialect of Modoboa's import/export: one record per line, `;` by default,
 * fields optionally double-quoted (`""` inside quotes is a quote). No CSV library is
 * installed in the workspace, and this dialect is small enough to parse exactly here.
 */

/** Parses CSV text into records (blank lines and lines starting with `#` skipped), trimming unquoted fields. */
export function parseCsv(text: string, sep = ';'): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const fields: string[] = [];
    let i = 0;
    for (;;) {
      while (raw[i] === ' ') i++;
      let field = '';
      if (raw[i] === '"') {
        i++;
        for (;;) {
          if (i >= raw.length) throw new SyntaxError(`line ${n + 1}: unterminated quoted field`);
          if (raw[i] === '"') {
            if (raw[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field += raw[i++];
        }
        while (raw[i] === ' ') i++;
        if (i < raw.length && raw[i] !== sep) throw new SyntaxError(`line ${n + 1}: unexpected character after a quoted field`);
      } else {
        const end = raw.indexOf(sep, i);
        field = (end < 0 ? raw.slice(i) : raw.slice(i, end)).trim();
        i = end < 0 ? raw.length : end;
      }
      fields.push(field);
      if (i >= raw.length) break;
      i++; // the separator
    }
    out.push({ line: n + 1, fields });
  }
  return out;
}

/** Formats records as CSV, quoting fields that contain the separator, quotes or line breaks. */
export function formatCsv(records: readonly (readonly (string | number | boolean)[])[], sep = ';'): string {
  const cell = (v: string | number | boolean): string => {
    const s = String(v);
    return s.includes(sep) || s.includes('"') || /[\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return records.map((r) => r.map(cell).join(sep)).join('\n') + (records.length > 0 ? '\n' : '');
}
