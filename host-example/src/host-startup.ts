import { EVENTS, type Events, type ExtensionClass, type ExtensionInfo, type ExtensionManager } from '@plugboard/core';
import { Container } from 'inversify';
import type { Logger } from 'pino';
import { AdminService } from './admin-service';
import { Database } from './db';
import { ExtensionRoutes, LOGGER } from './extension-routes';
import { HostBus } from './host-bus';
import type { HostSpecs } from './hooks';
import type { HostPlugins } from './plugins';
import { Repository } from './repository';

/** The inversify container extensions are built from, with the host's services bound. */
export function hostContainer(parts: { db: Database; repo: Repository; service: AdminService; bus: HostBus; events: Events<HostSpecs>; routes: ExtensionRoutes; logger: Logger }): Container {
  const container = new Container();
  container.bind(Database).toConstantValue(parts.db);
  container.bind(Repository).toConstantValue(parts.repo);
  container.bind(AdminService).toConstantValue(parts.service);
  container.bind(HostBus).toConstantValue(parts.bus);
  container.bind(EVENTS).toConstantValue(parts.events);
  container.bind(ExtensionRoutes).toConstantValue(parts.routes);
  container.bind<Logger>(LOGGER).toConstantValue(parts.logger);
  return container;
}

/** Installs the extensions; a broken one must not keep the host from starting: it is logged and listed as failed. */
export async function installAll(manager: ExtensionManager<HostSpecs>, extensions: readonly ExtensionClass[], logger: Logger): Promise<ExtensionInfo[]> {
  const installed: ExtensionInfo[] = [];
  for (const cls of extensions) {
    try {
      installed.push(await manager.install(cls));
    } catch (e) {
      logger.error({ err: e }, e instanceof Error ? e.message : String(e));
    }
  }
  return installed;
}

/** Starts delivery (outbox, Redis); on failure stops what started and closes the database. */
export async function startPlugins(plugins: HostPlugins, db: Database): Promise<void> {
  try {
    await plugins.start();
  } catch (e) {
    await plugins.stop();
    await db.close();
    throw e;
  }
}
