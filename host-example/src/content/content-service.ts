import { isAdmin, requireAdmin } from '../common/roles';
import { ResourceService } from '../common/resource-service';
import type { AdminMenuTarget, MenuEntry, UserMenuTarget } from '../hooks';
import type { User } from '../model';

/**
 * What the pages show around the resources: menus, login-page announcements, notifications,
 * extra admin content and static content, each built-in part followed by the extensions' hooks.
 *
 * @example
 * ```ts
 * const entries = await content.menu(admin, 'top_menu');
 * ```
 */
export class ContentService extends ResourceService {
  /**
   * A menu: `UserMenuDisplay` for options_menu / uprefs_menu / top_menu, `AdminMenuDisplay`
   * for admin_menu_box / top_menu (administrators), each after the built-in entries.
   */
  async menu(actor: User, target: UserMenuTarget | AdminMenuTarget): Promise<MenuEntry[]> {
    const entries: MenuEntry[] = [];
    if (target === 'top_menu') {
      if (isAdmin(actor)) {
        entries.push({ name: 'domains', label: 'Domains', url: '/api/domains' }, { name: 'identities', label: 'Identities', url: '/api/accounts' });
        entries.push(...(await this.bus.call('AdminMenuDisplay', 'top_menu', actor)));
      }
      entries.push(...(await this.bus.call('UserMenuDisplay', 'top_menu', actor)));
    } else if (target === 'admin_menu_box') {
      requireAdmin(actor);
      entries.push({ name: 'parameters', label: 'Parameters', url: '/api/parameters/core' }, { name: 'extensions', label: 'Extensions', url: '/api/extensions' });
      entries.push(...(await this.bus.call('AdminMenuDisplay', 'admin_menu_box', actor)));
    } else {
      if (target === 'options_menu') entries.push({ name: 'logout', label: 'Logout', url: '/api/logout' });
      else entries.push({ name: 'password', label: 'Change password', url: '/api/me/password' });
      entries.push(...(await this.bus.call('UserMenuDisplay', target, actor)));
    }
    return entries;
  }

  /** Announcements of a target: the `core.announcement` parameter, then `GetAnnouncement`. */
  async announcements(target: 'loginpage'): Promise<string[]> {
    const own = String((await this.repo.parameters('core', 'A', 0)).announcement ?? '');
    return [...(own ? [own] : []), ...(await this.bus.call('GetAnnouncement', target))];
  }

  /** `TopNotifications` for the actor. */
  notifications(actor: User): Promise<string[]> {
    return this.bus.call('TopNotifications', actor);
  }

  /** `ExtraAdminContent` of an admin page (administrators). */
  adminContent(actor: User, target: 'leftcol', page: 'domains' | 'identities'): Promise<string[]> {
    requireAdmin(actor);
    return this.bus.call('ExtraAdminContent', actor, target, page);
  }

  /** `GetStaticContent` of a caller. */
  staticContent(actor: User, caller: string): Promise<string[]> {
    return this.bus.call('GetStaticContent', caller, actor);
  }
}
