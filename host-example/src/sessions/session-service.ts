import { createHash, randomBytes } from 'node:crypto';
import { ResourceService, type ServiceContext } from '../common/resource-service';
import { HostError } from '../errors';
import type { ExternalDirectory } from '../external-directory';
import { LoginThrottle } from '../login-throttle';
import type { Mailbox, RequestInfo, User } from '../model';
import { hashPassword, randomPassword, verifyPassword } from '../passwords';
import * as sessions from './session-works';

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

let dummy: Promise<string> | undefined;
/** A hash of a random password, verified against for unknown usernames. */
function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(randomPassword()));
}

/**
 * Sessions: login (with throttling and auto-provisioning from the external directory),
 * authentication of a token, logout, and the first administrator of a new database.
 *
 * @example
 * ```ts
 * const { token } = await sessions.login(request, 'admin', 'correct horse');
 * const user = await sessions.authenticate(token);
 * ```
 */
export class SessionService extends ResourceService {
  constructor(
    ctx: ServiceContext,
    private readonly directory: ExternalDirectory,
    private readonly throttle: LoginThrottle = new LoginThrottle(),
  ) {
    super(ctx);
  }

  /**
   * Logs in: checks the password, or auto-provisions a user of the external directory on
   * first login (`AccountAutoCreated`); raises `UserLogin`; returns a session token.
   */
  async login(request: RequestInfo, username: string, password: string): Promise<{ token: string; user: User }> {
    this.throttle.check(username, request.ip);
    const wrong = (): HostError => {
      this.throttle.failed(username, request.ip);
      return new HostError('PB_HOST_UNAUTHENTICATED', 'Wrong username or password.');
    };
    let user = await this.repo.userByName(username);
    if (user === undefined) {
      const known = await this.directory.authenticate(username, password);
      if (known === undefined) {
        // The same scrypt work as for a known username, so response times do not tell which exist.
        await verifyPassword(password, await dummyHash());
        throw wrong();
      }
      user = await this.autoCreate(known.username, password, known.firstName, known.lastName, known.role);
    } else {
      const hash = (await this.repo.passwordHash(user.id)) ?? '';
      if (!(await verifyPassword(password, hash))) throw wrong();
    }
    this.throttle.succeeded(username);
    if (!user.enabled) throw new HostError('PB_HOST_UNAUTHENTICATED', `Account "${user.username}" is disabled; ask an administrator to enable it.`);
    const token = randomBytes(32).toString('base64url');
    const created = new Date();
    await this.repo.run(sessions.open(this.repo.k, hashToken(token), user.id, created, new Date(created.getTime() + SESSION_TTL_MS)));
    await this.bus.call('UserLogin', request, user.username, password);
    return { token, user };
  }

  private async autoCreate(username: string, password: string, firstName?: string, lastName?: string, role?: string): Promise<User> {
    const account = await this.repo.insertUser({
      username,
      passwordHash: await hashPassword(password),
      role: role ?? 'SimpleUsers',
      firstName: firstName ?? '',
      lastName: lastName ?? '',
      email: username.includes('@') ? username : '',
      external: true,
      ownerId: null,
    });
    this.log.info({ username }, 'account auto-created from the external directory');
    const mailbox = await this.attachMailboxIfDomainKnown(account);
    await this.bus.call('AccountAutoCreated', account);
    if (mailbox) await this.bus.call('MailboxCreated', account, mailbox);
    return account;
  }

  private async attachMailboxIfDomainKnown(account: User, quota?: number): Promise<Mailbox | undefined> {
    const at = account.username.lastIndexOf('@');
    if (at < 0) return undefined;
    const domain = await this.repo.domainByName(account.username.slice(at + 1));
    if (domain === undefined) return undefined;
    return this.repo.insertMailbox({ userId: account.id, address: account.username.slice(0, at), domainId: domain.id, quota: quota ?? domain.quota });
  }

  /** The user of a valid session token, or a 401. */
  async authenticate(token: string | undefined): Promise<User> {
    if (!token) throw new HostError('PB_HOST_UNAUTHENTICATED', 'Log in first: POST /api/login, then send "Authorization: Bearer <token>".');
    const session = await this.repo.run(sessions.userOf(this.repo.k, hashToken(token)));
    const user = session && new Date(session.expiresAt) > new Date() ? session.user : undefined;
    if (user === undefined || !user.enabled) throw new HostError('PB_HOST_UNAUTHENTICATED', 'The session token is unknown or expired; log in again.');
    return user;
  }

  /** Ends a session; raises `UserLogout`. */
  async logout(request: RequestInfo, token: string): Promise<void> {
    await this.bus.call('UserLogout', request);
    await this.repo.run(sessions.end(this.repo.k, hashToken(token)));
  }

  /** Creates the first super administrator when the database has no user; returns its credentials once. */
  async seedAdmin(username: string, password: string): Promise<{ username: string; password: string } | undefined> {
    if ((await this.repo.countUsers()) > 0) return undefined;
    await this.repo.insertUser({ username, passwordHash: await hashPassword(password), role: 'SuperAdmins', firstName: 'Admin', ownerId: null });
    return { username, password };
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
