import { extension, type ListenerContext } from '@plugboard/core';
import { inject } from 'inversify';
import { join } from 'node:path';
import { HostBus } from '../src/host-bus';
import { HOOK_NAMES, hostHooks, type HostHookName } from '../src/hooks';
import { Repository } from '../src/repository';
import { LimitsExtension } from '../src/extensions/limits';
import { ADMIN_PASSWORD, start, tempDir, type Running } from './helpers';

/** The 56 events of seed 004, in the seed's order. */
const SEED_EVENTS = [
  'AccountAutoCreated', 'AccountCreated', 'AccountDeleted', 'AccountExported', 'AccountImported', 'AccountModified', 'AdminMenuDisplay',
  'CanCreate', 'CheckDomainName', 'CheckExtraAccountForm', 'DomainAliasCreated', 'DomainAliasDeleted', 'DomainCreated', 'DomainDeleted',
  'DomainModified', 'DomainOwnershipRemoved', 'ExtDisabled', 'ExtEnabled', 'ExtraAccountActions', 'ExtraAccountForm', 'ExtraAdminContent',
  'ExtraDomainEntries', 'ExtraDomainFilters', 'ExtraDomainForm', 'ExtraDomainImportHelp', 'ExtraDomainMenuEntries', 'ExtraFormFields',
  'ExtraRelayDomainForm', 'FillAccountInstances', 'FillDomainInstances', 'FillRelayDomainInstances', 'GetAnnouncement', 'GetDomainActions',
  'GetExtraLimitTemplates', 'GetExtraParameters', 'GetExtraRoles', 'GetStaticContent', 'ImportObject', 'MailboxAliasCreated',
  'MailboxAliasDeleted', 'MailboxCreated', 'MailboxDeleted', 'MailboxModified', 'PasswordChange', 'TopNotifications', 'UserLogin',
  'UserLogout', 'UserMenuDisplay', 'RelayDomainAliasCreated', 'RelayDomainAliasDeleted', 'RelayDomainCreated', 'RelayDomainDeleted',
  'RelayDomainModified', 'RoleChanged', 'SaveExtraFormFields', 'UserCanSetRole',
];

interface Call {
  readonly hook: string;
  readonly args: unknown[];
  /** What the database said at the time of the call (to prove before/after). */
  state?: unknown;
}

/** Observes every hook of the catalogue and records its arguments and the DB state at call time. */
@extension({ name: 'recorder', version: '1.0.0' })
class Recorder {
  readonly calls: Call[] = [];

  constructor(@inject(HostBus) bus: HostBus, @inject(Repository) private readonly repo: Repository) {
    const untyped = bus as unknown as { on(name: string, fn: (...a: unknown[]) => unknown, o: { extension: string }): void };
    for (const hook of HOOK_NAMES) untyped.on(hook, (...a: unknown[]) => this.record(hook, a.slice(0, -1), a[a.length - 1] as ListenerContext), { extension: 'recorder' });
  }

  private record(hook: HostHookName, args: unknown[], ctx: ListenerContext): unknown {
    expect(ctx.extension).toBe('recorder');
    const id = (args[0] as { id?: number } | undefined)?.id ?? -1;
    const state: Partial<Record<HostHookName, () => Promise<unknown>>> = {
      DomainDeleted: async () => (await this.repo.domainById(id)) !== undefined,
      DomainAliasDeleted: async () => (await this.repo.domainAliasById(id)) !== undefined,
      MailboxDeleted: async () => (await this.repo.mailboxById(id)) !== undefined,
      MailboxAliasDeleted: async () => (await this.repo.mailboxAliasById(id)) !== undefined,
      RelayDomainDeleted: async () => (await this.repo.relayDomainById(id)) !== undefined,
      RelayDomainAliasDeleted: async () => (await this.repo.relayDomainAliasById(id)) !== undefined,
      AccountDeleted: async () => (await this.repo.userById(id)) !== undefined,
      AccountCreated: async () => (await this.repo.userById(id)) !== undefined,
      RoleChanged: async () => (await this.repo.userById(id))?.role,
      DomainCreated: async () => (await this.repo.domainById((args[1] as { id: number }).id)) !== undefined,
      DomainOwnershipRemoved: async () => (await this.repo.domainById((args[1] as { id: number }).id))?.ownerId,
    };
    // On SQLite the read runs now, synchronously, so it sees the state at call time; it settles before the test looks.
    const call: Call = { hook, args: structuredClone(args.map((a) => (typeof a === 'function' ? '[fn]' : a))) };
    void state[hook]?.().then((value) => (call.state = value));
    this.calls.push(call);
    // Contribute to a few display hooks so the hooks that depend on them are reached.
    if (hook === 'ExtraAccountForm') return [{ id: 'recorder', title: 'Recorder', cls: 'RecorderForm' }];
    if (hook === 'ExtraFormFields' && args[0] === 'account') return [['nickname', { type: 'string', label: 'Nickname' }]];
    if (hook === 'CheckExtraAccountForm') return true;
    return undefined;
  }

  of(hook: HostHookName): Call[] {
    return this.calls.filter((c) => c.hook === hook);
  }
}

const user = expect.objectContaining({ id: expect.any(Number), username: expect.any(String), role: expect.any(String) });
const domain = expect.objectContaining({ id: expect.any(Number), type: 'domain', name: expect.any(String) });
const relay = expect.objectContaining({ id: expect.any(Number), type: 'relaydomain', name: expect.any(String), targetHost: expect.any(String) });
const mailbox = expect.objectContaining({ id: expect.any(Number), userId: expect.any(Number), fullAddress: expect.stringContaining('@') });
const alias = expect.objectContaining({ id: expect.any(Number), name: expect.any(String), targetId: expect.any(Number), targetName: expect.any(String) });
const form = expect.objectContaining({ id: expect.any(String), title: expect.any(String), cls: expect.any(String) });
const request = expect.objectContaining({ ip: '127.0.0.1', userAgent: expect.any(String), method: 'POST' });
const extInfo = expect.objectContaining({ name: expect.any(String), version: expect.any(String), state: expect.any(String) });

/** Argument shapes per hook, as seed 004 describes them (in its order). */
const SHAPES: Record<string, unknown[]> = {
  AccountAutoCreated: [expect.objectContaining({ username: 'ext@example.com', external: true })],
  AccountCreated: [user],
  AccountDeleted: [user, user, expect.any(Object)],
  AccountExported: [user],
  AccountImported: [user, expect.objectContaining({ username: 'imported@example.com' }), ['extra-cell']],
  AccountModified: [user, user],
  AdminMenuDisplay: [expect.stringMatching(/^(admin_menu_box|top_menu)$/), user],
  CanCreate: [user],
  CheckDomainName: [],
  CheckExtraAccountForm: [user, form],
  DomainAliasCreated: [user, alias],
  DomainAliasDeleted: [alias],
  DomainCreated: [user, domain],
  DomainDeleted: [domain],
  DomainModified: [expect.objectContaining({ type: 'domain', name: 'renamed.org', oldname: 'example.org' })],
  DomainOwnershipRemoved: [user, domain],
  ExtDisabled: [expect.objectContaining({ name: 'limits', state: 'disabled' })],
  ExtEnabled: [extInfo],
  ExtraAccountActions: [user],
  ExtraAccountForm: [user, user],
  ExtraAdminContent: [user, 'leftcol', expect.stringMatching(/^(domains|identities)$/)],
  ExtraDomainEntries: [user, expect.any(String), expect.any(String), expect.any(Object)],
  ExtraDomainFilters: [],
  ExtraDomainForm: [user, domain],
  ExtraDomainImportHelp: [],
  ExtraDomainMenuEntries: [user],
  ExtraFormFields: [expect.any(String), expect.anything()],
  ExtraRelayDomainForm: [user, relay],
  FillAccountInstances: [user, user, expect.objectContaining({ general: user })],
  FillDomainInstances: [user, domain, expect.objectContaining({ general: domain })],
  FillRelayDomainInstances: [user, relay, expect.objectContaining({ general: relay })],
  GetAnnouncement: ['loginpage'],
  GetDomainActions: [user, expect.objectContaining({ name: expect.any(String), type: expect.any(String) })],
  GetExtraLimitTemplates: [],
  GetExtraParameters: [expect.any(String), expect.stringMatching(/^[AU]$/)],
  GetExtraRoles: [user],
  GetStaticContent: ['domains', user],
  ImportObject: [expect.any(String)],
  MailboxAliasCreated: [user, expect.objectContaining({ address: 'info@example.com', recipients: ['bob@example.com'] })],
  MailboxAliasDeleted: [expect.objectContaining({ address: 'info@example.com' })],
  MailboxCreated: [user, mailbox],
  MailboxDeleted: [mailbox],
  MailboxModified: [expect.objectContaining({ fullAddress: expect.any(String), old_full_address: expect.any(String) })],
  PasswordChange: [user],
  TopNotifications: [user],
  UserLogin: [request, expect.any(String), expect.any(String)],
  UserLogout: [request],
  UserMenuDisplay: [expect.stringMatching(/^(options_menu|uprefs_menu|top_menu)$/), user],
  RelayDomainAliasCreated: [user, alias],
  RelayDomainAliasDeleted: [alias],
  RelayDomainCreated: [user, relay],
  RelayDomainDeleted: [relay],
  RelayDomainModified: [expect.objectContaining({ type: 'relaydomain', name: 'relay2.net', oldname: 'relay.net' })],
  RoleChanged: [user, 'DomainAdmins'],
  SaveExtraFormFields: [expect.any(String), user, { nickname: 'bobby' }],
  UserCanSetRole: [user, expect.any(String)],
};

describe('the host raises all 56 hooks of seed 004 through its HTTP API', () => {
  const tmp = tempDir();
  let run: Running;
  let rec: Recorder;

  beforeAll(async () => {
    run = await start(join(tmp.dir, 'db.sqlite'), [Recorder, LimitsExtension], {
      externalDirectory: [{ username: 'ext@example.com', password: 'external-pass', firstName: 'Ext' }],
    });
    rec = run.host.manager.instance<Recorder>('recorder') as Recorder;
  });
  afterAll(async () => {
    await run.stop();
    tmp.cleanup();
  });

  it('declares exactly the 56 seed events, in the seed order', () => {
    expect(HOOK_NAMES).toHaveLength(56);
    expect(HOOK_NAMES).toEqual(SEED_EVENTS);
    expect(Object.keys(SHAPES).sort()).toEqual([...SEED_EVENTS].sort());
    // Veto hooks answer booleans; display hooks validate their elements.
    expect(hostHooks.PasswordChange.spec.options.result?.safeParse(true).success).toBe(true);
    expect(hostHooks.UserMenuDisplay.spec.options.result?.safeParse({ name: 'a b', label: 'x', url: '/' }).success).toBe(false);
    expect(hostHooks.GetExtraParameters.spec.kind).toBe('merge');
  });

  it('raises every hook with the arguments the seed describes, at the moment it says', async () => {
    const { req } = run;
    expect((await req('GET', '/api/announcements?target=loginpage')).status).toBe(200);
    const admin = await run.login('admin', ADMIN_PASSWORD);
    const t = { token: admin };

    const dom = await req('POST', '/api/domains', { ...t, body: { name: 'example.org' } });
    expect(dom.status).toBe(201);
    const com = await req('POST', '/api/domains', { ...t, body: { name: 'example.com' } });
    expect(com.status).toBe(201);
    // The external directory user logs in for the first time: account auto-created with its mailbox.
    const ext = await run.login('ext@example.com', 'external-pass');
    expect(ext).toEqual(expect.any(String));

    expect((await req('GET', '/api/domains?type=&q=ex', t)).body.entries.length).toBe(2);
    expect((await req('GET', '/api/domains/menu', t)).status).toBe(200);
    expect((await req('GET', `/api/domains/${dom.body.id}/forms`, t)).body.forms[0]).toEqual({ id: 'general', title: 'General', cls: 'DomainFormGeneral' });

    const da = await req('POST', '/api/accounts', { ...t, body: { username: 'da1', password: 'password-da1', role: 'DomainAdmins' } });
    expect(da.status).toBe(201);
    const bob = await req('POST', '/api/accounts', { ...t, body: { username: 'bob@example.org', password: 'password-bob', extra: { nickname: 'bobby' } } });
    expect(bob.status).toBe(201);
    expect((await req('GET', '/api/accounts', t)).body.accounts.length).toBe(4);
    const forms = await req('GET', `/api/accounts/${bob.body.id}/forms`, t);
    expect(forms.body.forms.map((f: { id: string }) => f.id)).toEqual(['general', 'mail', 'recorder']);
    expect(forms.body.fields).toEqual([['nickname', { type: 'string', label: 'Nickname' }]]);

    // Rename the domain: bob's mailbox moves with it, then the domain reports its old name.
    const renamed = await req('PATCH', `/api/domains/${dom.body.id}`, { ...t, body: { name: 'renamed.org' } });
    expect(renamed.body.name).toBe('renamed.org');
    expect(rec.of('MailboxModified')[0].args[0]).toEqual(expect.objectContaining({ fullAddress: 'bob@renamed.org', old_full_address: 'bob@example.org' }));

    const patched = await req('PATCH', `/api/accounts/${bob.body.id}`, { ...t, body: { role: 'DomainAdmins', username: 'bobby@renamed.org', forms: { recorder: { x: 1 } } } });
    expect(patched.status).toBe(200);
    expect(rec.of('RoleChanged')[0].state).toBe('SimpleUsers'); // raised before the change
    expect(rec.of('MailboxModified')[1].args[0]).toEqual(expect.objectContaining({ fullAddress: 'bobby@renamed.org', old_full_address: 'bob@renamed.org' }));
    expect((await req('POST', `/api/accounts/${bob.body.id}/password`, { ...t, body: { password: 'new-password-1' } })).status).toBe(204);

    const dAlias = await req('POST', '/api/domain-aliases', { ...t, body: { name: 'alias.org', target: 'renamed.org' } });
    expect(dAlias.status).toBe(201);
    expect((await req('DELETE', `/api/domain-aliases/${dAlias.body.id}`, t)).status).toBe(204);

    const mAlias = await req('POST', '/api/mailbox-aliases', { ...t, body: { address: 'info@example.com', recipients: ['bob@example.com'] } });
    expect(mAlias.status).toBe(201);
    expect((await req('DELETE', `/api/mailbox-aliases/${mAlias.body.id}`, t)).status).toBe(204);

    const rd = await req('POST', '/api/relaydomains', { ...t, body: { name: 'relay.net', targetHost: 'mx.relay.net' } });
    expect(rd.status).toBe(201);
    expect((await req('PATCH', `/api/relaydomains/${rd.body.id}`, { ...t, body: { name: 'relay2.net' } })).status).toBe(200);
    expect((await req('GET', `/api/relaydomains/${rd.body.id}/forms`, t)).status).toBe(200);
    const rAlias = await req('POST', '/api/relaydomain-aliases', { ...t, body: { name: 'relay-alias.net', target: 'relay2.net' } });
    expect(rAlias.status).toBe(201);
    expect((await req('DELETE', `/api/relaydomain-aliases/${rAlias.body.id}`, t)).status).toBe(204);
    expect((await req('DELETE', `/api/relaydomains/${rd.body.id}`, t)).status).toBe(204);

    for (const target of ['top_menu', 'admin_menu_box', 'options_menu', 'uprefs_menu']) expect((await req('GET', `/api/menus/${target}`, t)).status).toBe(200);
    expect((await req('GET', '/api/notifications', t)).status).toBe(200);
    expect((await req('GET', '/api/admin-content?target=leftcol&page=domains', t)).status).toBe(200);
    expect((await req('GET', '/api/static-content?caller=domains', t)).status).toBe(200);
    expect((await req('GET', '/api/roles', t)).status).toBe(200);
    expect((await req('GET', '/api/limit-templates', t)).body.templates).toEqual([['domains_limit', 'Domains', expect.any(String)]]);
    expect((await req('GET', '/api/parameters/core', t)).status).toBe(200);

    expect((await req('GET', '/api/import/help', t)).status).toBe(200);
    const imported = await req('POST', '/api/import', {
      ...t,
      body: { csv: 'account; imported@example.com; imported-pass; Imp; Orted; true; SimpleUsers; imported@example.com; 10; extra-cell\n' },
    });
    expect(imported.body).toEqual({ imported: 1, skipped: 0 });
    const exported = await req('GET', '/api/export/accounts?passwords=include', t);
    expect(exported.body).toContain('account;imported@example.com;scrypt$');

    // Give example.com to da1: ownership removed from admin before the change.
    expect((await req('PUT', `/api/domains/${com.body.id}/owner`, { ...t, body: { owner: 'da1' } })).status).toBe(200);
    expect(rec.of('DomainOwnershipRemoved')[0].state).toBe((await run.host.repo.userByName('admin'))?.id);

    expect((await req('DELETE', `/api/accounts/${bob.body.id}`, t)).status).toBe(204);
    expect((await req('DELETE', `/api/domains/${dom.body.id}`, t)).status).toBe(204);

    expect((await req('POST', '/api/extensions/limits/disable', t)).body.state).toBe('disabled');
    expect((await req('POST', '/api/extensions/limits/enable', t)).body.state).toBe('enabled');
    expect((await req('POST', '/api/logout', t)).status).toBe(204);
    expect((await req('GET', '/api/me', t)).status).toBe(401);

    // Every hook was raised, each time with the arguments of the seed.
    const raised = new Set(rec.calls.map((c) => c.hook));
    expect(SEED_EVENTS.filter((n) => !raised.has(n))).toEqual([]);
    // Every call passes exactly the seed's number of arguments…
    for (const call of rec.calls) expect({ hook: call.hook, arity: call.args.length }).toEqual({ hook: call.hook, arity: SHAPES[call.hook].length });
    // …and each hook was seen at least once with the argument shapes the seed describes.
    for (const name of SEED_EVENTS) {
      const first = rec.of(name as HostHookName).find((c) => { try { expect(c.args).toEqual(SHAPES[name]); return true; } catch { return false; } });
      expect({ hook: name, matched: first !== undefined, calls: first ? undefined : rec.of(name as HostHookName).map((c) => c.args) }).toEqual({ hook: name, matched: true, calls: undefined });
    }
    // "*Deleted" hooks see the object still there; "*Created" ones see it stored.
    for (const h of ['DomainDeleted', 'DomainAliasDeleted', 'MailboxDeleted', 'MailboxAliasDeleted', 'RelayDomainDeleted', 'RelayDomainAliasDeleted', 'AccountDeleted', 'AccountCreated', 'DomainCreated'] as const) {
      expect({ hook: h, states: rec.of(h).map((c) => c.state) }).toEqual({ hook: h, states: rec.of(h).map(() => true) });
    }
  });
});
