import { ConnectionTests } from '../connection-tests';
import { PluginAdmin } from '../plugin-service';
import type { AdminPageContext } from './page-context';

/** The service layer the configuration pages go through, so authorization and validation are the API's. */
export interface ConfigServices {
  readonly admin: PluginAdmin;
  readonly tests: ConnectionTests;
}

/** Builds the services once per page; `undefined` on a host without the plugins (the page says so). */
export function configServices(ctx: AdminPageContext): ConfigServices | undefined {
  const plugins = ctx.host.plugins;
  if (plugins === undefined) return undefined;
  return { admin: new PluginAdmin(plugins, ctx.host.bus), tests: new ConnectionTests(plugins) };
}
