import type { AdminPage } from './admin-page';

/**
 * What a configuration page registered inside the admin scope gets: the {@link AdminPage} every
 * admin page's routes get (host, `/admin` scope, logged-in SuperAdmin, renderers).
 */
export type AdminPageContext = AdminPage;
