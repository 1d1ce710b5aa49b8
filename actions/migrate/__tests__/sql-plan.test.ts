import { ConfigError } from '@shipyard/platform/errors';
import { checksumOf, orderFileNames, type SqlFile } from '../src/sql-files';
import { planMigration } from '../src/sql-plan';
import type { LedgerRow, LedgerState } from '../src/sql-scripts';

const NAMES = ['001_users.sql', '002_bookings.sql', '003a_slots.sql', '003b_patterns.sql', '004_audit.sql'];
const FILES: SqlFile[] = orderFileNames(NAMES, 'db').map(({ name, version }) => ({
  name,
  version,
  checksum: checksumOf(Buffer.from(`-- ${name}\n`)),
  transactional: true,
}));
const byName = (name: string) => FILES.find((file) => file.name === name) as SqlFile;

function state(rows: LedgerRow[], ownRelations = rows.length > 0 ? 5 : 0): LedgerState {
  return { rows, digest: 'd', database: 'fsp', user: 'app', serverVersion: '16.4', ownRelations };
}

function recorded(names: string[], baseline = false): LedgerRow[] {
  return names.map((name) => ({
    file: name,
    checksum: byName(name)?.checksum ?? checksumOf(Buffer.from(name)),
    baseline,
    appliedAt: '2025-03-01T10:00:00+00:00',
  }));
}

const names = (files: SqlFile[]) => files.map((file) => file.name);

test('an empty ledger: every file is pending, in order', () => {
  const plan = planMigration(FILES, state([]), 'shipyard_migrations');
  expect(names(plan.pending)).toEqual(NAMES);
  expect(plan).toMatchObject({ skipped: 0, baseline: [], missing: [] });
});

test('files in the ledger are skipped; the later ones are pending', () => {
  const plan = planMigration(FILES, state(recorded(NAMES.slice(0, 3))), 'shipyard_migrations');
  expect(names(plan.pending)).toEqual(NAMES.slice(3));
  expect(plan.skipped).toBe(3);
});

test('ledger rows whose file is gone are reported, not undone', () => {
  const plan = planMigration(FILES.slice(1), state(recorded(['001_users.sql', '002_bookings.sql'])), 'l');
  expect(plan.missing).toEqual(['001_users.sql']);
  expect(names(plan.pending)).toEqual(NAMES.slice(2));
});

test('a changed file is refused, naming it, its checksums and how to accept a harmless change', () => {
  const rows = recorded(NAMES.slice(0, 3));
  rows[1] = { ...rows[1], checksum: 'f'.repeat(64) };
  rows[2] = { ...rows[2], checksum: 'e'.repeat(64) };
  const plan = () => planMigration(FILES, state(rows), 'ops.ledger');
  expect(plan).toThrow(ConfigError);
  expect(plan).toThrow(
    `"002_bookings.sql" changed after it was applied on 2025-03-01T10:00:00+00:00 (and so did "003a_slots.sql"): ` +
      `its SHA-256 is now ${byName('002_bookings.sql').checksum}, the ledger ops.ledger has ${'f'.repeat(64)}.`,
  );
  expect(plan).toThrow(
    `UPDATE ops.ledger SET checksum = '${byName('002_bookings.sql').checksum}' WHERE file = '002_bookings.sql';`,
  );
});

test('a new file that sorts before a recorded one is refused, with the row that records it as applied by hand', () => {
  const plan = () => planMigration(FILES, state(recorded(['001_users.sql', '003a_slots.sql'])), 'shipyard_migrations');
  expect(plan).toThrow(
    '"002_bookings.sql" is not in the ledger shipyard_migrations but sorts before "003a_slots.sql", which is',
  );
  expect(plan).toThrow(
    "INSERT INTO shipyard_migrations (file, version, checksum, baseline) VALUES ('002_bookings.sql', '2', " +
      `'${byName('002_bookings.sql').checksum}', true);`,
  );
});

describe('baseline', () => {
  const baseline = byName('003a_slots.sql');

  test('a new ledger on a database with tables of its own: files up to the baseline are recorded, not run', () => {
    const plan = planMigration(FILES, state([], 12), 'l', baseline);
    expect(names(plan.baseline)).toEqual(NAMES.slice(0, 3));
    expect(names(plan.pending)).toEqual(NAMES.slice(3));
    expect(plan.skipped).toBe(0);
    expect(plan.baselineUnused).toBeUndefined();
  });

  test('an empty database was not migrated by hand: every file runs', () => {
    const plan = planMigration(FILES, state([], 0), 'l', baseline);
    expect(plan.baseline).toEqual([]);
    expect(names(plan.pending)).toEqual(NAMES);
    expect(plan.baselineUnused).toBe('empty-database');
  });

  test('a started ledger is not baselined again', () => {
    const plan = planMigration(FILES, state(recorded(NAMES.slice(0, 3), true)), 'l', baseline);
    expect(plan).toMatchObject({ baseline: [], skipped: 3, baselineUnused: 'ledger-started' });
    expect(names(plan.pending)).toEqual(NAMES.slice(3));
  });

  test('a file at or below the baseline missing from a started ledger is refused, saying why', () => {
    const plan = () => planMigration(FILES, state(recorded(['001_users.sql', '004_audit.sql'])), 'l', baseline);
    expect(plan).toThrow('"002_bookings.sql", "003a_slots.sql", "003b_patterns.sql" are not in the ledger l');
    expect(plan).toThrow('("sql-baseline" only records files while the ledger is still empty.)');
  });
});
