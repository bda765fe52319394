/**
 * Preload for child processes started by the tests (`node -r ts-node/register/transpile-only
 * -r ./register-src.js script.ts`): resolves `@plugboard/<name>` to the package's src/index.ts,
 * as jest's moduleNameMapper does, so children run the same sources without a build.
 */
'use strict';
const Module = require('node:module');
const path = require('node:path');

const root = path.resolve(__dirname, '../../../..');
const dirs = { core: 'core', 'host-example': 'host-example' };
const original = Module._resolveFilename;

Module._resolveFilename = function resolvePlugboard(request, ...rest) {
  const m = /^@plugboard\/([a-z-]+)$/.exec(request);
  if (m) {
    const dir = dirs[m[1]] ?? path.join('plugins', m[1]);
    return original.call(this, path.join(root, dir, 'src/index.ts'), ...rest);
  }
  return original.call(this, request, ...rest);
};
