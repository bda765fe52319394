import Database from 'better-sqlite3';
import { EndpointStore } from '@plugboard/webhooks';
import { tempDir } from './helpers';

// Two processes on one SQLite file (a CLI next to the server): no notification crosses them.
describe('endpoints shared by two connections to one SQLite file', () => {
  let tmp: ReturnType<typeof tempDir>;
  let server: Database.Database;
  let cli: Database.Database;

  beforeEach(() => {
    tmp = tempDir();
    server = new Database(tmp.file('app.db'));
    cli = new Database(tmp.file('app.db'));
  });
  afterEach(() => {
    server.close();
    cli.close();
    tmp.cleanup();
  });

  it("routes by the other connection's writes at the next publish", async () => {
    const routing = new EndpointStore(server);
    const writer = new EndpointStore(cli);
    expect(routing.matching('AccountCreated')).toEqual([]);
    await writer.create({ name: 'crm', url: 'https://crm.example/hooks', events: ['AccountCreated'] });
    expect(routing.matching('AccountCreated').map((e) => e.name)).toEqual(['crm']);
    await writer.disable('crm', 'paused from the CLI');
    expect(routing.matching('AccountCreated')).toEqual([]);
    expect(routing.peek('crm')).toMatchObject({ enabled: false, disabledReason: 'paused from the CLI' });
    await Promise.all([routing.close(), writer.close()]);
  });
});
