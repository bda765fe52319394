export { SqlDatabase, type SqlDatabaseOptions, type SqlDialect, type SqlLogger } from './sql-database';
export { all, exec, first, notify, pure, type Step, type StepResult, type Work } from './work';
export { migrate, migrateSync, type SqlMigration } from './migrate';
export { raw } from './raw';
export { param, prepare } from './prepared';
export { isPostgresUrl, poolConfig } from './pg-connect';
export type { TopicListener } from './topics';
export { SqlError, type SqlErrorCode } from './errors';
export { SQL_ERRORS, SqlErrors } from './error-codes';
