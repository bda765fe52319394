import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { HandlerModuleRegistry, LoggerHandler, RulesEngine, RuleStore, type LogLine } from '@plugboard/rules';
import { pgDatabase, type TestDatabase } from '../../../test/support/pg-database';

/** A writer process; `send(line)` resolves when it answered `done <line>`. */
async function startWriter(url: string): Promise<{ child: ChildProcess; send: (line: string) => Promise<void> }> {
  const child = spawn(process.execPath, [join(__dirname, 'support', 'rule-writer.js'), url], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const waiting = new Map<string, () => void>();
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<void>((resolve, reject) => {
    waiting.set('ready', resolve);
    child.once('exit', (code) => reject(new Error(`the writer exited (${code}): ${err}`)));
  });
  lines.on('line', (line) => waiting.get(line)?.());
  await ready;
  return {
    child,
    send: (line) =>
      new Promise<void>((resolve) => {
        waiting.set(`done ${line}`, resolve);
        child.stdin!.write(`${line}\n`);
      }),
  };
}

describe('rules shared by two processes on one PostgreSQL', () => {
  let pg: TestDatabase;
  let writer: ChildProcess | undefined;
  beforeEach(async () => (pg = await pgDatabase('pb-rules-xproc')));
  afterEach(async () => {
    writer?.kill();
    await pg.drop();
  });

  it('runs a rule created in another process at the next dispatch, and stops running it once disabled there, within a second', async () => {
    const lines: LogLine[] = [];
    const registry = new HandlerModuleRegistry({ modules: [new LoggerHandler((line) => lines.push(line))] });
    const store = await RuleStore.open(pg.url('host-a'), { registry });
    const engine = new RulesEngine({ store, registry });
    const dispatch = (): Promise<unknown> => engine.dispatch({ eventId: String(Date.now()), event: 'UserLogin', position: 'post', timestamp: new Date(), payload: {} });
    const waiting: (() => void)[] = [];
    await store.db.listen('rules', () => waiting.shift()?.());
    /** Sends a command to the writer; resolves with the ms from sending it to this process hearing the change. */
    const change = async (send: () => Promise<void>): Promise<number> => {
      const heard = new Promise<void>((resolve) => waiting.push(resolve));
      const t0 = Date.now();
      await send();
      await heard;
      return Date.now() - t0;
    };
    try {
      await dispatch();
      const w = await startWriter(pg.url('host-b'));
      writer = w.child;

      expect(await change(() => w.send('create from-b'))).toBeLessThan(1000);
      await dispatch();
      expect(lines.map((l) => l.message)).toEqual(['from-b']);

      const [rule] = await store.list();
      expect(await change(() => w.send(`disable ${rule.id}`))).toBeLessThan(1000);
      await dispatch();
      expect(lines.map((l) => l.message)).toEqual(['from-b']);
    } finally {
      await engine.close();
      await store.close();
    }
  });
});
