import { HostError } from '../errors';

/** A CSV row that was not imported: its line, the field at fault when known, and why. */
export interface RejectedRow {
  readonly line: number;
  readonly field?: string;
  readonly message: string;
}

/** What an import did. `rejected` lists the rows left out under `continueOnError` (absent otherwise). */
export interface ImportResult {
  readonly imported: number;
  readonly skipped: number;
  readonly rejected?: readonly RejectedRow[];
}

/** A row's failure as a {@link RejectedRow}: the host's errors name their field, others only the line. */
export function rejectedRow(line: number, e: unknown): RejectedRow {
  const message = e instanceof Error ? e.message : String(e);
  const field = e instanceof HostError && e.field !== undefined && e.field !== `csv line ${line}` ? e.field : undefined;
  return { line, ...(field !== undefined ? { field } : {}), message };
}

/**
 * An all-or-none import refused because several rows are bad (400): nothing was imported, and the
 * message lists every bad row with its line (and field), so one correction round fixes them all.
 *
 * @example
 * ```ts
 * if (e instanceof ImportRejectedError) for (const r of e.rows) console.log(r.line, r.field, r.message);
 * ```
 */
export class ImportRejectedError extends HostError {
  constructor(readonly rows: readonly RejectedRow[]) {
    const list = rows.map((r) => `  ${r.message.startsWith('csv line') ? r.message : `csv line ${r.line}: ${r.message}`}`).join('\n');
    super(
      'PB_HOST_INVALID',
      `Nothing was imported: ${rows.length} row(s) are bad. Fix them and import the file again, or import the good rows alone with --continue-on-error (API: options.continueOnError):\n${list}`,
      { field: `csv line ${rows[0]?.line ?? 0}` },
    );
  }
}
