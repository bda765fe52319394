import { httpEventContext, httpEventName } from './http-event';

describe('httpEventName', () => {
  it('upper-cases the method and strips query string and trailing slash', () => {
    expect(httpEventName('post', '/api/domains/?x=1')).toBe('POST /api/domains');
    expect(httpEventName('GET', '/')).toBe('GET /');
    expect(httpEventName('delete', '/api/domains/:id')).toBe('DELETE /api/domains/:id');
  });
});

describe('httpEventContext', () => {
  it('builds a pre event with merged payload (body wins), request data and users', () => {
    const ctx = httpEventContext({
      method: 'post',
      route: '/api/domains/:id/aliases',
      position: 'pre',
      eventId: 'req-1',
      query: { dry: 'true', name: 'from-query' },
      params: { id: '7' },
      body: { name: 'alias.example.org' },
      ip: '::ffff:10.0.0.5',
      path: '/api/domains/7/aliases',
      loggedInUser: { username: 'root', role: 'admin' },
    });
    expect(ctx).toMatchObject({
      eventId: 'req-1',
      event: 'POST /api/domains/:id/aliases',
      position: 'pre',
      payload: { dry: 'true', id: '7', name: 'alias.example.org' },
      request: { ip: '::ffff:10.0.0.5', method: 'POST', path: '/api/domains/7/aliases' },
      loggedInUser: { username: 'root', role: 'admin' },
    });
    expect(ctx.result).toBeUndefined();
    expect(ctx.timestamp).toBeInstanceOf(Date);
  });

  it('keeps a non-object body under payload.body and generates an eventId', () => {
    const ctx = httpEventContext({ method: 'PUT', route: '/api/raw', position: 'pre', body: ['a'] });
    expect(ctx.payload).toEqual({ body: ['a'] });
    expect(ctx.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns the status code of a post event into result status and value', () => {
    expect(httpEventContext({ method: 'POST', route: '/api/domains', position: 'post', statusCode: 201, response: { id: 3 } }).result).toEqual({
      status: 'success',
      value: { id: 3 },
    });
    expect(httpEventContext({ method: 'POST', route: '/api/domains', position: 'post', statusCode: 409, response: { error: 'exists' } }).result).toEqual({
      status: 'failure',
      value: { error: 'exists' },
      error: 'HTTP 409',
    });
  });
});
