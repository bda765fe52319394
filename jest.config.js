/** One jest run over every package: unit specs next to the code, scenario tests in <pkg>/test and test/. */
const path = require('node:path');

const packages = {
  core: 'core',
  testing: 'testing',
  'mail-catalogue': 'examples/mail-catalogue',
  sql: 'plugins/sql',
  outbox: 'plugins/outbox',
  rules: 'plugins/rules',
  notify: 'plugins/notify',
  webhooks: 'plugins/webhooks',
  scripts: 'plugins/scripts',
  redis: 'plugins/redis',
  'host-example': 'host-example',
};

const moduleNameMapper = {};
for (const [name, dir] of Object.entries(packages)) {
  moduleNameMapper[`^@plugboard/${name}$`] = path.join(__dirname, dir, 'src/index.ts');
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/src/**/*.spec.ts', '**/test/**/*.test.ts'],
  // The template's test runs under node:test (as its users run it), from test/extension-template.test.ts.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/examples/extension-template/'],
  moduleNameMapper,
  transform: {
    // Type checking is done once for the whole repo by `tsc --noEmit` (npm test), so jest only transpiles.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
  maxWorkers: 2,
};
