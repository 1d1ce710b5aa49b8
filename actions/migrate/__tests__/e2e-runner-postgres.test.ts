/**
 * Runner mode against a real PostgreSQL with a real migration tool: node-pg-migrate applying plain ordered SQL
 * files shaped like Flight Schedule Pro's (001 … 006 with a 003a/003b pair), through the bundled action.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { runAction } from '@shipyard/testkit/run-action';
import { startPostgres, type TestPostgres } from '@shipyard/testkit/fixtures/migrate/postgres';

const actionDir = join(__dirname, '..');
const repoBin = join(__dirname, '..', '..', '..', 'node_modules', '.bin');
const fixtures = join(__dirname, 'fixtures', 'flight-schedule-pro', 'migrations');
const FSP_MIGRATIONS = [
  '001_create_users',
  '002_create_aircraft',
  '003a_create_reservations',
  '003b_add_reservation_indexes',
  '004_create_instructor_availability',
  '005_add_reservation_status',
  '006_create_audit_log',
];

let pg: TestPostgres;
let workspace: string;

beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => pg?.stop());

beforeEach(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'migrate-workspace-'));
  cpSync(fixtures, join(workspace, 'db', 'migrations'), { recursive: true });
  await pg.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

/** As a workflow would write it: `node-pg-migrate` found on PATH (the repository's node_modules/.bin). */
function migrate(extraArgs: string[] = []) {
  return runAction({
    actionDir,
    workspace,
    inputs: {
      mode: 'runner',
      command: JSON.stringify(['node-pg-migrate', 'up', '-m', 'migrations', ...extraArgs]),
      'working-directory': 'db',
      'environment-variables': `DATABASE_URL=${pg.url}`,
    },
    env: { PATH: `${repoBin}${delimiter}${process.env.PATH}` },
  });
}

async function tables(): Promise<string[]> {
  const rows = await pg.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((row) => row.table_name);
}

/** Every column, index and constraint of the schema: equal before and after means nothing changed. */
async function schemaShape(): Promise<unknown[]> {
  return pg.query(`
    SELECT 'column' AS kind, table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS what
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL SELECT 'index', indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT 'constraint', conname || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    ORDER BY 1, 2`);
}

async function appliedMigrations(): Promise<{ name: string; run_on: Date }[]> {
  return pg.query('SELECT name, run_on FROM pgmigrations ORDER BY id');
}

test('applies the seven migrations in order, and a second run changes nothing', async () => {
  const first = await migrate();
  expect(first.exitCode).toBe(0);
  expect(first.outputs['exit-code']).toBe('0');
  const order = FSP_MIGRATIONS.map((name) => first.log.indexOf(`### MIGRATION ${name} (UP) ###`));
  expect(order.every((position) => position >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(await tables()).toEqual([
    'aircraft',
    'audit_log',
    'instructor_availability',
    'pgmigrations',
    'reservations',
    'users',
  ]);
  const applied = await appliedMigrations();
  expect(applied.map((row) => row.name)).toEqual(FSP_MIGRATIONS);
  const shape = await schemaShape();
  expect(shape).toContainEqual({ kind: 'index', what: expect.stringMatching(/^reservations_user_id_idx /) });
  expect(shape).toContainEqual({ kind: 'column', what: 'reservations.status text NO' });

  const second = await migrate();
  expect(second.exitCode).toBe(0);
  expect(second.log).toContain('No migrations to run!');
  expect(second.log).not.toContain('### MIGRATION');
  expect(await schemaShape()).toEqual(shape);
  expect(await appliedMigrations()).toEqual(applied);
  expect(second.summary).toContain('## Migration succeeded');
});

describe('a failing migration', () => {
  beforeEach(() => {
    const dir = join(workspace, 'db', 'migrations');
    writeFileSync(
      join(dir, '007_create_billing_accounts.sql'),
      '-- Up Migration\nCREATE TABLE billing_accounts (user_id BIGINT PRIMARY KEY REFERENCES users (id), balance_cents BIGINT NOT NULL);\n',
    );
    writeFileSync(
      join(dir, '008_link_invoices.sql'),
      '-- Up Migration\nALTER TABLE reservations ADD COLUMN invoice_id BIGINT REFERENCES invoices (id);\n',
    );
  });

  async function applyFirstSix() {
    rmSync(join(workspace, 'db', 'migrations', '007_create_billing_accounts.sql'));
    rmSync(join(workspace, 'db', 'migrations', '008_link_invoices.sql'));
    expect((await migrate()).exitCode).toBe(0);
  }

  test("fails the step with the tool's error; its single transaction leaves no trace of 007 or 008", async () => {
    const run = await migrate();
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('relation "invoices" does not exist');
    expect(run.log).toContain('> Rolling back attempted migration ...');
    expect(run.log).toContain('::error::migrate: the command exited with code 1');
    expect(run.outputs['exit-code']).toBe('1');
    expect(run.summary).toContain('## Migration failed: the command exited with code 1');
    // node-pg-migrate creates its bookkeeping table first, then runs all pending migrations in one transaction
    // (its default): none of them stayed, and none is recorded as run.
    expect(await tables()).toEqual(['pgmigrations']);
    expect(await appliedMigrations()).toEqual([]);
  });

  test('after earlier runs, only the pending migrations are rolled back', async () => {
    const dir = join(workspace, 'db', 'migrations');
    const pending = ['007_create_billing_accounts.sql', '008_link_invoices.sql'];
    const saved = join(workspace, 'pending');
    cpSync(dir, saved, { recursive: true });
    await applyFirstSix();
    for (const file of pending) cpSync(join(saved, file), join(dir, file));
    const shape = await schemaShape();

    const run = await migrate();
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('relation "invoices" does not exist');
    expect(await schemaShape()).toEqual(shape);
    expect((await appliedMigrations()).map((row) => row.name)).toEqual(FSP_MIGRATIONS);
  });

  test('with --no-single-transaction each migration commits alone: 007 stays, 008 is rolled back', async () => {
    const run = await migrate(['--no-single-transaction']);
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('relation "invoices" does not exist');
    expect(await tables()).toContain('billing_accounts');
    const columns = await pg.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'reservations'",
    );
    expect(columns.map((column) => column.column_name)).not.toContain('invoice_id');
    expect((await appliedMigrations()).map((row) => row.name)).toEqual([
      ...FSP_MIGRATIONS,
      '007_create_billing_accounts',
    ]);
  });
});
