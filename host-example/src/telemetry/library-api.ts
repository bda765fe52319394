import { dirname } from 'node:path';

/*
 * The libraries depend on @opentelemetry/api ^1.10 (their own copies), the SDK on < 1.10 (the
 * host's 1.9). The api ignores a global registered by an older minor version, so an SDK
 * registered through the host's copy would be invisible to every library. Registering through
 * the libraries' copy (the one core resolves) works for all: 1.9 accepts a 1.10 global.
 * Once the workspace resolves a single api copy, this is the host's own `@opentelemetry/api`.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the copy is chosen at run time, from where core resolves it */
const fromCore = require.resolve('@opentelemetry/api', { paths: [dirname(require.resolve('@plugboard/core'))] });
export const libraryApi = require(fromCore) as typeof import('@opentelemetry/api');
/* eslint-enable @typescript-eslint/no-require-imports */
