import { SqlDatabase, pure } from '@plugboard/sql';
import type { WebhookEndpoint } from './endpoint-model';
import { EndpointRoutes } from './endpoint-routes';

const at = new Date(0);
function endpoint(id: string, name: string, over: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return { id, name, url: `https://${name}.example`, secrets: ['***'], events: [], realms: [], enabled: true, createdAt: at, updatedAt: at, ...over };
}

describe('EndpointRoutes', () => {
  const db = SqlDatabase.sqlite(':memory:');
  afterAll(() => db.close());

  function routesOf(endpoints: WebhookEndpoint[]): EndpointRoutes {
    const routes = new EndpointRoutes(db, () => pure(endpoints));
    routes.loadSync();
    return routes;
  }

  it('matches enabled endpoints by event (none or * = every event) and realm', () => {
    const routes = routesOf([
      endpoint('1', 'all'),
      endpoint('2', 'accounts', { events: ['AccountCreated'] }),
      endpoint('3', 'star', { events: ['*'] }),
      endpoint('4', 'tags', { realms: ['github_tags'] }),
      endpoint('5', 'off', { enabled: false }),
    ]);
    expect(routes.matching('AccountCreated').map((e) => e.name)).toEqual(['all', 'accounts', 'star']);
    expect(routes.matching('DomainCreated', 'github_tags').map((e) => e.name)).toEqual(['all', 'star', 'tags']);
  });

  it('finds an endpoint by id or by name, the id winning over a name equal to it', () => {
    const routes = routesOf([endpoint('a', 'crm'), endpoint('b', 'a')]);
    expect(routes.find('crm')?.id).toBe('a');
    expect(routes.find('a')?.name).toBe('crm');
    expect(routes.find('missing')).toBeUndefined();
  });
});
