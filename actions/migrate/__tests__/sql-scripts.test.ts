import { checksumOf, orderFileNames, type SqlFile } from '../src/sql-files';
import { parseLedgerTable } from '../src/sql-inputs';
import { applyScript, ledgerLockKey, newMarker, parseProgress, parseReadOutput, psqlError } from '../src/sql-scripts';

const files: SqlFile[] = orderFileNames(['001_a.sql', '002_b.sql'], 'db').map(({ name, version }) => ({
  name,
  version,
  checksum: checksumOf(Buffer.from(name)),
  transactional: name !== '002_b.sql',
}));

test('the lock key is a signed bigint, fixed per ledger and different between ledgers', () => {
  const key = ledgerLockKey({ table: 'shipyard_migrations' });
  expect(BigInt(key) >= -(2n ** 63n) && BigInt(key) < 2n ** 63n).toBe(true);
  expect(ledgerLockKey({ table: 'shipyard_migrations' })).toBe(key);
  expect(ledgerLockKey({ schema: 'ops', table: 'shipyard_migrations' })).not.toBe(key);
});

test('progress lines need the marker of this run', () => {
  const marker = newMarker();
  expect(newMarker()).not.toBe(marker);
  expect(parseProgress(`${marker} start 001_a.sql`, marker)).toEqual({ kind: 'start', file: '001_a.sql' });
  expect(parseProgress(`${marker} waiting`, marker)).toEqual({ kind: 'waiting' });
  expect(parseProgress(`${newMarker()} done 001_a.sql`, marker)).toBeUndefined();
  expect(parseProgress(`${marker} start`, marker)).toBeUndefined();
  expect(parseProgress(`${marker} unknown`, marker)).toBeUndefined();
  expect(parseProgress('CREATE TABLE', marker)).toBeUndefined();
});

test('the read output is two JSON lines behind the marker', () => {
  const marker = newMarker();
  const rows = [{ file: '001_a.sql', checksum: 'c', baseline: false, appliedAt: 't' }];
  const lines = [
    `${marker} ledger ${JSON.stringify({ rows, digest: 'd' })}`,
    `${marker} database ${JSON.stringify({ database: 'fsp', user: 'app', serverVersion: '16', ownRelations: '3' })}`,
  ];
  expect(parseReadOutput(lines, marker)).toEqual({
    rows,
    digest: 'd',
    database: 'fsp',
    user: 'app',
    serverVersion: '16',
    ownRelations: 3,
  });
  expect(parseReadOutput(lines.slice(0, 1), marker)).toBeUndefined();
});

test('each transactional file runs between BEGIN and COMMIT with its ledger row; a no-transaction file alone', () => {
  const marker = 'shipyard-m';
  const script = applyScript({
    table: { schema: 'ops', table: 'ledger' },
    marker,
    digest: 'abc',
    baseline: [],
    pending: files,
    run: { sha: "o'brien", runId: '42' },
  });
  const first = script.slice(
    script.indexOf(`\\warn ${marker} start 001_a.sql`),
    script.indexOf(`\\warn ${marker} done 001_a.sql`),
  );
  expect(first.indexOf('BEGIN;')).toBeLessThan(first.indexOf("\\i '001_a.sql'"));
  expect(first.indexOf("\\i '001_a.sql'")).toBeLessThan(first.indexOf('INSERT INTO "ops"."ledger"'));
  expect(first.indexOf('INSERT INTO "ops"."ledger"')).toBeLessThan(first.lastIndexOf('COMMIT;'));
  expect(first).toContain("'o''brien', '42')");
  const second = script.slice(script.indexOf(`\\warn ${marker} start 002_b.sql`));
  expect(second).not.toContain('BEGIN;');
  expect(second.indexOf("\\i '002_b.sql'")).toBeLessThan(second.indexOf('INSERT INTO'));
  expect(script.indexOf('pg_advisory_lock')).toBeLessThan(script.indexOf('CREATE TABLE'));
  expect(script.indexOf('CREATE TABLE')).toBeLessThan(script.indexOf("= 'abc' AS shipyard_unchanged"));
});

test.each([
  ['shipyard_migrations', { table: 'shipyard_migrations' }],
  ['', { table: 'shipyard_migrations' }],
  ['ops.schema_ledger', { schema: 'ops', table: 'schema_ledger' }],
  ['_x1', { table: '_x1' }],
])('ledger table %j', (raw, table) => {
  expect(parseLedgerTable('sql-ledger-table', raw)).toEqual(table);
});

test.each(['Migrations', 'a.b.c', '1table', 'has space', 'a;b', '"quoted"', 'pg_catalog.x', 'x'.repeat(64), 'a.'])(
  'ledger table %j is refused',
  (raw) => {
    expect(() => parseLedgerTable('sql-ledger-table', raw)).toThrow('Input "sql-ledger-table" must be a table name');
  },
);

test.each([
  [
    ['CREATE TABLE', 'psql:007_x.sql:3: ERROR:  relation "refunds" does not exist', 'LINE 1: ...'],
    { message: 'ERROR: relation "refunds" does not exist', file: '007_x.sql', line: 3 },
  ],
  [
    ['psql: error: connection to server at "127.0.0.1", port 1 failed: Connection refused'],
    { message: 'connection to server at "127.0.0.1", port 1 failed: Connection refused' },
  ],
  [['NOTICE:  hello'], undefined],
])('psqlError(%j)', (lines, error) => {
  expect(psqlError(lines)).toEqual(error);
});
