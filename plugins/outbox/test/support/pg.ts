// The helper is shared by every package's PostgreSQL tests.
export { PG_URL, pgDatabase, type TestDatabase } from '../../../../test/support/pg-database';
