/** @type {import('jest').Config} */
module.exports = {
  // Node, plus the privacy scan of each file: no private field in a group message or a log line.
  testEnvironment: '<rootDir>/test/support/privacy-environment.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/privacy-setup.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // One database server for the whole run (given MONGODB_URI, else embedded); each file gets its own database.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  // Two cores: two workers keep FerretDB (one SQLite writer per database) busy without starving it.
  maxWorkers: 2,
};
