/** The README's 30-second example, kept compiling and working on a temporary SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { all, exec, migrate, notify, SqlDatabase, type Work } from '@plugboard/sql';
import type { Kysely } from 'kysely';

interface Tables {
  notes: { id: number; text: string };
}

async function readmeExample(target: string, log: (...args: unknown[]) => void): Promise<void> {
  // --- README example starts here ---
  function* addNote(k: Kysely<Tables>, id: number, text: string): Work<number> {
    yield* exec(k.insertInto('notes').values({ id, text }));
    yield* notify('notes', String(id)); // sent when the transaction commits
    return (yield* all(k.selectFrom('notes').select('id'))).length;
  }

  const db = await SqlDatabase.open(target);
  await migrate(db, '@acme/notes', [
    { name: '0001_notes', statements: (k) => [k.schema.createTable('notes').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('text', 'text')] },
  ]);
  await db.listen('notes', (id) => log('note written', id)); // `undefined` after a reconnect: reload
  log(await db.transact(addNote(db.as<Tables>(), 1, 'hello')), 'note(s)');
  await db.close();
  // --- README example ends here ---
}

it('the README example writes a note, hears its notification and counts it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pb-sql-readme-'));
  const lines: unknown[][] = [];
  try {
    await readmeExample(join(dir, 'data', 'notes.db'), (...args) => lines.push(args));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(lines).toEqual([['note written', '1'], [1, 'note(s)']]);
});
