/**
 * `sql-directory` against a real PostgreSQL with the real psql, through the bundled action: Flight Schedule Pro's
 * plain SQL files (the guide runs them with `psql -f`, 001 … 006 with a 003a/003b pair), recorded in a ledger.
 */
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Client } from 'pg';
import { runAction, type ActionRun, type RunActionOptions } from '@shipyard/testkit/run-action';
import { ledgerLockKey } from '../src/sql-scripts';
import { startFspSim } from '@shipyard/testkit/fixtures/migrate/fsp-sim';
import { startPostgres, type TestPostgres } from '@shipyard/testkit/fixtures/migrate/postgres';

const actionDir = join(__dirname, '..');
const fixtures = join(__dirname, 'fixtures', 'flight-schedule-pro', 'database', 'migrations');
const FILES = [
  '001_create_users.sql',
  '002_create_bookings.sql',
  '003a_create_availability_tables.sql',
  '003b_create_availability_patterns.sql',
  '004_create_rescheduling_tables.sql',
  '005_create_notifications.sql',
  '006_create_audit_log.sql',
];
const TABLES = [
  'audit_log',
  'availability',
  'availability_patterns',
  'bookings',
  'notifications',
  'reschedule_requests',
  'users',
];

let pg: TestPostgres;
let workspace: string;
let migrations: string;

beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => pg?.stop());

beforeEach(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'migrate-sql-'));
  migrations = join(workspace, 'database', 'migrations');
  cpSync(fixtures, migrations, { recursive: true });
  await pg.query('DROP SCHEMA IF EXISTS ops CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

function migrate(
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
  options: Partial<RunActionOptions> = {},
): Promise<ActionRun> {
  return runAction({
    actionDir,
    workspace,
    inputs: {
      mode: 'runner',
      'sql-directory': 'database/migrations',
      'environment-variables': `DATABASE_URL=${pg.url}`,
      ...inputs,
    },
    env,
    timeoutMs: 60_000,
    ...options,
  });
}

function addFile(name: string, sql: string): void {
  writeFileSync(join(migrations, name), sql);
}

async function tables(): Promise<string[]> {
  const rows = await pg.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> " +
      "'shipyard_migrations' ORDER BY table_name",
  );
  return rows.map((row) => row.table_name);
}

async function ledger(table = 'shipyard_migrations'): Promise<{ file: string; baseline: boolean }[]> {
  return pg.query(`SELECT file, baseline FROM ${table} ORDER BY applied_at, version`);
}

function applied(run: ActionRun): string[] {
  return JSON.parse(run.outputs['sql-applied-files']) as string[];
}

/** The step passed, having applied exactly these files, in this order. */
function expectApplied(run: ActionRun, files: string[]): void {
  expect(run.exitCode).toBe(0);
  expect(applied(run)).toEqual(files);
}

function errors(run: ActionRun): string[] {
  return run.annotations.filter((annotation) => annotation.level === 'error').map((annotation) => annotation.message);
}

test('the first run applies every file in version order; the second none; a new file only itself', async () => {
  const first = await migrate();
  expectApplied(first, FILES);
  expect(first.outputs).toMatchObject({ 'sql-skipped-count': '0', 'sql-baselined-files': '[]', 'exit-code': '0' });
  const order = FILES.map((file) => first.log.indexOf(`▸ Applying ${file}`));
  expect(order.every((position) => position >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(await tables()).toEqual(TABLES);
  const rows = await pg.query<{ file: string; version: string; checksum: string; duration_ms: number }>(
    'SELECT file, version, checksum, duration_ms FROM shipyard_migrations ORDER BY applied_at, file',
  );
  expect(rows.map((row) => row.file)).toEqual(FILES);
  expect(rows.map((row) => row.version)).toEqual(['1', '2', '3a', '3b', '4', '5', '6']);
  expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.checksum) && row.duration_ms >= 0)).toBe(true);
  expect(first.summary).toContain('## Migration succeeded');

  const second = await migrate();
  expectApplied(second, []);
  expect(second.outputs['sql-skipped-count']).toBe('7');
  expect(second.log).toContain('Nothing to apply: every file is in the ledger shipyard_migrations.');
  expect(second.log).not.toContain('▸ Applying');

  addFile('007_add_booking_notes.sql', 'ALTER TABLE bookings ADD COLUMN notes TEXT;\n');
  const third = await migrate();
  expectApplied(third, ['007_add_booking_notes.sql']);
  expect(third.outputs['sql-skipped-count']).toBe('7');
  expect((await ledger()).map((row) => row.file)).toEqual([...FILES, '007_add_booking_notes.sql']);
}, 120_000);

test('a failing file is rolled back and not recorded; the files before it stay applied', async () => {
  addFile('007_create_invoices.sql', 'CREATE TABLE invoices (id BIGSERIAL PRIMARY KEY);\n');
  addFile(
    '008_link_payments.sql',
    'CREATE TABLE payments (id BIGSERIAL PRIMARY KEY);\nALTER TABLE bookings ADD COLUMN refund_id BIGINT REFERENCES refunds (id);\n',
  );
  const run = await migrate();
  expect(run.exitCode).toBe(1);
  expect(run.outputs['exit-code']).toBe('3');
  expect(applied(run)).toEqual([...FILES, '007_create_invoices.sql']);
  expect(errors(run)).toContainEqual(
    'migrate: 008_link_payments.sql failed at line 2: ERROR: relation "refunds" does not exist (psql exit code 3); ' +
      'it was rolled back and is not recorded in shipyard_migrations (applied before it: ' +
      `${[...FILES, '007_create_invoices.sql'].join(', ')})`,
  );
  expect(run.annotations).toContainEqual(
    expect.objectContaining({ level: 'error', message: 'ERROR: relation "refunds" does not exist' }),
  );
  expect(run.rawLog).toMatch(
    /::error title=008_link_payments\.sql failed,file=database\/migrations\/008_link_payments\.sql,line=2::/,
  );
  expect(run.summary).toContain('`008_link_payments.sql` (rolled back, not recorded)');
  expect(await tables()).toEqual([...TABLES, 'invoices'].sort());
  expect((await ledger()).map((row) => row.file)).toEqual([...FILES, '007_create_invoices.sql']);

  addFile('008_link_payments.sql', 'CREATE TABLE payments (id BIGSERIAL PRIMARY KEY);\n');
  const fixed = await migrate();
  expectApplied(fixed, ['008_link_payments.sql']);
}, 120_000);

test('a file changed after it ran is refused, naming it, and nothing runs', async () => {
  expect((await migrate()).exitCode).toBe(0);
  addFile('002_create_bookings.sql', `${readFileSync(join(fixtures, '002_create_bookings.sql'), 'utf8')}-- x\n`);
  addFile('007_add_booking_notes.sql', 'ALTER TABLE bookings ADD COLUMN notes TEXT;\n');
  const run = await migrate();
  expect(run.exitCode).toBe(1);
  expect(errors(run).join('\n')).toMatch(
    /migrate: "002_create_bookings\.sql" changed after it was applied on .*: its SHA-256 is now [0-9a-f]{64}, the ledger shipyard_migrations has [0-9a-f]{64}\./,
  );
  expect(applied(run)).toEqual([]);
  expect((await ledger()).map((row) => row.file)).toEqual(FILES);

  // Line ends do not count: the same file checked out with CRLF is the same file.
  addFile(
    '002_create_bookings.sql',
    readFileSync(join(fixtures, '002_create_bookings.sql'), 'utf8').replace(/\n/g, '\r\n'),
  );
  const crlf = await migrate();
  expectApplied(crlf, ['007_add_booking_notes.sql']);
}, 120_000);

test('a new file that sorts before an applied one is refused, naming both', async () => {
  expect((await migrate()).exitCode).toBe(0);
  addFile('003c_create_aircraft.sql', 'CREATE TABLE aircraft (id BIGSERIAL PRIMARY KEY);\n');
  const run = await migrate();
  expect(run.exitCode).toBe(1);
  expect(errors(run).join('\n')).toContain(
    '"003c_create_aircraft.sql" is not in the ledger shipyard_migrations but sorts before "006_create_audit_log.sql"',
  );
  expect(await tables()).not.toContain('aircraft');
}, 120_000);

describe('sql-baseline', () => {
  async function migrateByHand(files: string[]): Promise<void> {
    for (const file of files) await pg.query(readFileSync(join(fixtures, file), 'utf8'));
  }

  test('on a database migrated by hand, records the files up to it without running them, then runs the rest', async () => {
    await migrateByHand(FILES.slice(0, 5));
    const run = await migrate({ 'sql-baseline': '004' });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs['sql-baselined-files'])).toEqual(FILES.slice(0, 5));
    expect(applied(run)).toEqual(FILES.slice(5));
    expect(await ledger()).toEqual(FILES.map((file, index) => ({ file, baseline: index < 5 })));
    expect(await tables()).toEqual(TABLES);

    // Left in the workflow, it does nothing more.
    const again = await migrate({ 'sql-baseline': '004_create_rescheduling_tables.sql' });
    expect(again.exitCode).toBe(0);
    expect(again.outputs).toMatchObject({ 'sql-applied-files': '[]', 'sql-baselined-files': '[]' });
  }, 120_000);

  test('on an empty database (a new environment) every file runs', async () => {
    const run = await migrate({ 'sql-baseline': '004' });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('"sql-baseline" is not used: the database has no tables, views or sequences of its own');
    expect(applied(run)).toEqual(FILES);
    expect(await tables()).toEqual(TABLES);
  }, 120_000);
});

test('two runs at once apply each file once: the second waits for the lock, then finds nothing to do', async () => {
  const holder = new Client({ connectionString: pg.url });
  await holder.connect();
  const key = ledgerLockKey({ table: 'shipyard_migrations' });
  try {
    await holder.query(`SELECT pg_advisory_lock(${key})`);
    const runs = [migrate(), migrate()];
    // Both have read the ledger and wait for the lock: only then let them go, so they truly race.
    for (;;) {
      const [{ waiting }] = await pg.query<{ waiting: string }>(
        "SELECT count(*) AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
      );
      if (Number(waiting) === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await holder.query(`SELECT pg_advisory_unlock(${key})`);
    const [a, b] = await Promise.all(runs);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    expect([applied(a), applied(b)].sort((x, y) => x.length - y.length)).toEqual([[], FILES]);
    const waited = [a, b].find((run) => applied(run).length === 0) as ActionRun;
    expect(waited.log).toContain('waiting for it to finish');
    expect(waited.log).toContain('changed while this run waited for its lock');
    expect((await ledger()).map((row) => row.file)).toEqual(FILES);
  } finally {
    await holder.end();
  }
}, 120_000);

test('no-transaction files and files with their own COMMIT run and are recorded', async () => {
  addFile(
    '007_index_bookings_concurrently.sql',
    '-- shipyard:no-transaction\nCREATE INDEX CONCURRENTLY bookings_starts_at_idx ON bookings (starts_at);\n',
  );
  addFile('008_own_transaction.sql', 'BEGIN;\nCREATE TABLE invoices (id BIGSERIAL PRIMARY KEY);\nCOMMIT;\n');
  const run = await migrate();
  expectApplied(run, [...FILES, '007_index_bookings_concurrently.sql', '008_own_transaction.sql']);
  expect(run.log).toContain('▸ Applying 007_index_bookings_concurrently.sql (outside a transaction)');
  expect(run.annotations).toContainEqual(
    expect.objectContaining({
      level: 'warning',
      message: expect.stringMatching(/^008_own_transaction\.sql ends the transaction itself/),
    }),
  );
  expect(await pg.query("SELECT indexname FROM pg_indexes WHERE indexname = 'bookings_starts_at_idx'")).toHaveLength(1);
  expect((await ledger()).map((row) => row.file)).toContain('008_own_transaction.sql');
}, 120_000);

test('a schema-qualified ledger is created with its schema', async () => {
  const run = await migrate({ 'sql-ledger-table': 'ops.schema_ledger' });
  expect(run.exitCode).toBe(0);
  expect((await ledger('ops.schema_ledger')).map((row) => row.file)).toEqual(FILES);
  expect(run.summary).toContain('`ops.schema_ledger`');
}, 120_000);

test("the URL's password reaches psql as PGPASSWORD, never on its command line or in the log", async () => {
  const bin = mkdtempSync(join(tmpdir(), 'migrate-psql-spy-'));
  const seen = join(bin, 'seen.txt');
  try {
    // A psql in front of the real one that writes down what it was given (trust authentication ignores passwords).
    writeFileSync(
      join(bin, 'psql'),
      `#!/bin/sh\nprintf 'argv %s\\npassword %s\\n' "$*" "$PGPASSWORD" >> '${seen}'\nPATH='${process.env.PATH}' exec psql "$@"\n`,
    );
    chmodSync(join(bin, 'psql'), 0o755);
    const url = pg.url.replace('postgres@', 'postgres:Sup3r%40secret@');
    const run = await migrate(
      { 'environment-variables': `DATABASE_URL=${url}` },
      { PATH: `${bin}${delimiter}${process.env.PATH}` },
    );
    expect(run.exitCode).toBe(0);
    const lines = readFileSync(seen, 'utf8').split('\n').filter(Boolean);
    expect(
      lines
        .filter((line) => line.startsWith('argv'))
        .some((line) => line.includes('--dbname=postgres://postgres@127.0.0.1:')),
    ).toBe(true);
    expect(lines.filter((line) => line.startsWith('argv')).join('\n')).not.toContain('Sup3r');
    expect(lines).toContain('password Sup3r@secret');
    expect(run.masks).toContain('Sup3r@secret');
    expect(run.log).not.toContain('Sup3r');
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}, 120_000);

test('the PG* variables of the step are used without DATABASE_URL', async () => {
  const url = new URL(pg.url);
  const run = await migrate(
    { 'environment-variables': '' },
    { PGHOST: url.hostname, PGPORT: url.port, PGUSER: 'postgres', PGDATABASE: 'postgres' },
  );
  expect(run.exitCode).toBe(0);
  expect(run.log).toContain('Connected to database "postgres" as "postgres"');
}, 120_000);

test('an unreachable database fails before anything, saying so', async () => {
  const run = await migrate({ 'environment-variables': 'DATABASE_URL=postgres://postgres@127.0.0.1:1/postgres' });
  expect(run.exitCode).toBe(1);
  expect(errors(run).join('\n')).toMatch(
    /migrate: could not connect to the database shipyard_migrations: .*127\.0\.0\.1.*; nothing was applied/,
  );
}, 60_000);

test('a cancelled run stops the running file, which is rolled back and not recorded', async () => {
  addFile('007_slow.sql', 'CREATE TABLE slow (id INT);\nSELECT pg_sleep(600);\n');
  const run = await migrate({}, {}, { signalAfter: { whenLogMatches: /▸ Applying 007_slow\.sql/ } });
  expect(run.conclusion).toBe('cancelled');
  expect(errors(run).join('\n')).toContain(
    '007_slow.sql was stopped because the run was cancelled (psql was stopped); it was rolled back and is not recorded',
  );
  expect(await tables()).not.toContain('slow');
  expect((await ledger()).map((row) => row.file)).toEqual(FILES);
}, 120_000);

test('a snapshot is taken first when there are files to apply, and not when there are none', async () => {
  const sim = await startFspSim({ tag: 'ok', scenarios: [], snapshotSeconds: 30 });
  try {
    const snapshot = { 'snapshot-db-instance': 'fsp-staging-db' };
    const first = await migrate(snapshot, sim.env);
    expect(first.exitCode).toBe(0);
    expect(first.outputs['snapshot-id']).toMatch(/^fsp-staging-db-pre-[0-9a-f]{7}-\d+$/);
    expect(sim.control.mutatingRequests().map((request) => request.operation)).toEqual(['CreateDBSnapshot']);
    expect(first.log.indexOf('fsp-staging-db')).toBeLessThan(first.log.indexOf('▸ Applying 001_create_users.sql'));

    sim.control.clearRequests();
    const second = await migrate(snapshot, sim.env);
    expect(second.exitCode).toBe(0);
    expect(second.outputs['snapshot-id']).toBeUndefined();
    expect(sim.control.mutatingRequests()).toEqual([]);
  } finally {
    await sim.close();
  }
}, 120_000);

test('two files of one version are refused before psql runs', async () => {
  addFile('1_create_users_again.sql', 'CREATE TABLE users_again (id INT);\n');
  const run = await migrate();
  expect(run.exitCode).toBe(1);
  expect(errors(run)).toEqual([
    'migrate: Input "sql-directory" names "database/migrations", where "001_create_users.sql" and ' +
      '"1_create_users_again.sql" have the same version 1, so their order would be an accident: give one of them ' +
      'another number (or a letter, e.g. 003a and 003b).',
  ]);
  expect(await tables()).toEqual([]);
}, 60_000);
