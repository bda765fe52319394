import { HandlerModuleRegistry, LoggerHandler, RulesEngine, RuleStore, type LogLine } from '@plugboard/rules';
import { pgDatabase, type TestDatabase } from '../../../test/support/pg-database';

describe('README: PostgreSQL', () => {
  let pg: TestDatabase;
  beforeEach(async () => (pg = await pgDatabase('pb-rules-readme')));
  afterEach(() => pg.drop());

  it('stores rules and the event log in PostgreSQL and dispatches with them', async () => {
    const lines: LogLine[] = [];
    const logged: number[] = [];
    const console = { log: (n: number) => logged.push(n) };
    const process = { env: { PLUGBOARD_DATABASE_URL: pg.url() } as Record<string, string | undefined> };

    // --- README: PostgreSQL ---
    const registry = new HandlerModuleRegistry({ modules: [new LoggerHandler((line) => lines.push(line))] });
    const store = await RuleStore.open(process.env.PLUGBOARD_DATABASE_URL ?? 'data/plugboard.db', { registry });
    const engine = new RulesEngine({ store, registry });

    await store.create({ name: 'log logins', events: ['UserLogin'], handlerModule: 'Logger', action: 'log', options: { message: '{user} logged in' } });
    await engine.dispatch({ eventId: '1', event: 'UserLogin', position: 'post', timestamp: new Date(), payload: { user: 'bob' } });
    console.log(await store.eventLog.count({ event: 'UserLogin' })); // 1

    await engine.close(); // stops listening for rule changes
    await store.close(); // writes the last log entries, closes the database it opened
    // --- end ---

    expect(store.db.dialect).toBe('postgres');
    expect(logged).toEqual([1]);
    expect(lines.map((l) => l.message)).toEqual(['bob logged in']);
  });
});
