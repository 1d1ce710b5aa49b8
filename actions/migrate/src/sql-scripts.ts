import { createHash, randomBytes } from 'node:crypto';
import type { RunContext } from './inputs';
import type { LedgerTable } from './sql-inputs';
import { formatVersion, type SqlFile } from './sql-files';

// The psql scripts of the SQL ledger. Everything runs in one psql session per phase, so the session-level advisory
// lock taken first is held until the last file is recorded. Progress is told with `\warn` lines that start with a
// per-run marker (stderr is not buffered, so they arrive in time); a file cannot forge them without the marker.

export interface LedgerRow {
  file: string;
  checksum: string;
  baseline: boolean;
  appliedAt: string;
}

/** What the read phase learned about the database and its ledger. */
export interface LedgerState {
  rows: LedgerRow[];
  /** md5 of the ledger's files and checksums: the apply phase checks under the lock that nothing changed since. */
  digest: string;
  database: string;
  user: string;
  serverVersion: string;
  /** Tables, views and sequences outside the system schemas, not made by an extension, the ledger excepted. */
  ownRelations: number;
}

export type ProgressEvent =
  | { kind: 'waiting' | 'locked' | 'changed' | 'not-a-ledger' | 'baselined' }
  | { kind: 'start' | 'done' | 'own-commit'; file: string };

const LEDGER_COLUMNS = ['file', 'version', 'checksum', 'baseline', 'applied_at'];

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A psql meta-command argument in single quotes (psql reads backslash escapes there). */
function quoteMetaArgument(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export function ledgerName(table: LedgerTable): string {
  return table.schema ? `${table.schema}.${table.table}` : table.table;
}

function qualified(table: LedgerTable): string {
  return table.schema
    ? `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.table)}`
    : quoteIdentifier(table.table);
}

/**
 * The pg_advisory_lock key of a ledger: the first 8 bytes of SHA-256("shipyard-migrate <ledger>") as a signed
 * bigint. One key per ledger table, so two ledgers in one database never wait for each other.
 */
export function ledgerLockKey(table: LedgerTable): string {
  return createHash('sha256')
    .update(`shipyard-migrate ${ledgerName(table)}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

/** Drawn per run: the SQL files cannot know it, so their output never passes for progress. */
export function newMarker(): string {
  return `shipyard-${randomBytes(8).toString('hex')}`;
}

const DIGEST = `md5(coalesce(string_agg(file || ' ' || checksum, E'\\n' ORDER BY file COLLATE "C"), ''))`;

/** Reads the ledger (when it exists) and who and where we are, as two JSON lines on stdout; changes nothing. */
export function readScript(table: LedgerTable, marker: string): string {
  const name = quoteLiteral(qualified(table));
  const columns = LEDGER_COLUMNS.map(quoteLiteral).join(', ');
  const rows =
    "json_build_object('file', file, 'checksum', checksum, 'baseline', baseline, 'appliedAt', applied_at) ORDER BY file";
  const ownRelations = `(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      AND c.oid IS DISTINCT FROM to_regclass(${name})
      AND NOT EXISTS (SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'))`;
  return [
    `SELECT to_regclass(${name}) IS NOT NULL AS shipyard_exists,`,
    `  (SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass(${name}) AND NOT attisdropped`,
    `    AND attname IN (${columns})) = ${LEDGER_COLUMNS.length} AS shipyard_shaped \\gset`,
    '\\if :shipyard_exists',
    '\\if :shipyard_shaped',
    '\\else',
    `\\warn ${marker} not-a-ledger`,
    '\\q',
    '\\endif',
    `SELECT ${quoteLiteral(`${marker} ledger `)} || json_build_object('rows', coalesce(json_agg(${rows}), '[]'::json),`,
    `  'digest', ${DIGEST})::text FROM ${qualified(table)};`,
    '\\else',
    `SELECT ${quoteLiteral(`${marker} ledger `)} || json_build_object('rows', '[]'::json, 'digest', md5(''))::text;`,
    '\\endif',
    `SELECT ${quoteLiteral(`${marker} database `)} || json_build_object('database', current_database(),`,
    `  'user', current_user, 'serverVersion', current_setting('server_version'),`,
    `  'ownRelations', ${ownRelations})::text;`,
    '',
  ].join('\n');
}

/** The state the read script printed, or undefined when a line is missing (the script stopped early). */
export function parseReadOutput(lines: string[], marker: string): LedgerState | undefined {
  const json = (kind: string) => {
    const line = lines.find((candidate) => candidate.startsWith(`${marker} ${kind} `));
    return line === undefined ? undefined : (JSON.parse(line.slice(marker.length + kind.length + 2)) as object);
  };
  const ledger = json('ledger') as { rows: LedgerRow[]; digest: string } | undefined;
  const database = json('database') as Omit<LedgerState, 'rows' | 'digest'> | undefined;
  return ledger && database ? { ...ledger, ...database, ownRelations: Number(database.ownRelations) } : undefined;
}

export interface ApplyOptions {
  table: LedgerTable;
  marker: string;
  /** The digest the plan was made from: if the ledger differs under the lock, the script stops (`changed`). */
  digest: string;
  baseline: SqlFile[];
  pending: SqlFile[];
  run: RunContext;
}

function insertRow(options: ApplyOptions, file: SqlFile, baseline: boolean): string {
  const value = (text: string | undefined) => (text ? quoteLiteral(text) : 'NULL');
  const duration = baseline
    ? 'NULL'
    : "(extract(epoch FROM clock_timestamp() - :'shipyard_started'::timestamptz) * 1000)::integer";
  return (
    `(${quoteLiteral(file.name)}, ${quoteLiteral(formatVersion(file.version))}, ${quoteLiteral(file.checksum)}, ` +
    `${baseline}, ${duration}, ${value(options.run.sha)}, ${value(options.run.runId)})`
  );
}

/**
 * Takes the ledger's lock (waiting for another run), creates the ledger when missing, checks it is as the plan saw
 * it, records the baseline, then runs each pending file in its own transaction with its ledger row.
 */
export function applyScript(options: ApplyOptions): string {
  const { table, marker } = options;
  const ledger = qualified(table);
  const key = ledgerLockKey(table);
  const insert = `INSERT INTO ${ledger} (file, version, checksum, baseline, duration_ms, git_sha, github_run_id) VALUES`;
  // IF NOT EXISTS alone would still need CREATE on the schema (checked first): create only what is missing.
  const createSchema = table.schema
    ? [
        `SELECT to_regnamespace(${quoteLiteral(quoteIdentifier(table.schema))}) IS NULL AS shipyard_no_schema \\gset`,
        '\\if :shipyard_no_schema',
        `CREATE SCHEMA ${quoteIdentifier(table.schema)};`,
        '\\endif',
      ]
    : [];
  const lines = [
    '\\set QUIET 1',
    `SELECT pg_try_advisory_lock(${key}) AS shipyard_locked \\gset`,
    '\\if :shipyard_locked',
    '\\else',
    `\\warn ${marker} waiting`,
    `SELECT pg_advisory_lock(${key}) AS shipyard_locked \\gset`,
    '\\endif',
    ...createSchema,
    `SELECT to_regclass(${quoteLiteral(ledger)}) IS NULL AS shipyard_no_ledger \\gset`,
    '\\if :shipyard_no_ledger',
    `CREATE TABLE ${ledger} (`,
    '  file text PRIMARY KEY,',
    '  version text NOT NULL,',
    '  checksum text NOT NULL,',
    '  baseline boolean NOT NULL DEFAULT false,',
    '  applied_at timestamptz NOT NULL DEFAULT now(),',
    '  duration_ms integer,',
    '  applied_by text NOT NULL DEFAULT current_user,',
    '  git_sha text,',
    '  github_run_id text',
    ');',
    '\\endif',
    `SELECT ${DIGEST} = ${quoteLiteral(options.digest)} AS shipyard_unchanged FROM ${ledger} \\gset`,
    '\\if :shipyard_unchanged',
    '\\else',
    `\\warn ${marker} changed`,
    '\\q',
    '\\endif',
    `\\warn ${marker} locked`,
  ];
  if (options.baseline.length > 0) {
    const rows = options.baseline.map((file) => insertRow(options, file, true));
    lines.push('BEGIN;', `${insert}\n  ${rows.join(',\n  ')};`, 'COMMIT;', `\\warn ${marker} baselined`);
  }
  for (const file of options.pending) {
    const row = `${insert} ${insertRow(options, file, false)};`;
    const run = ['\\set QUIET 0', `\\i ${quoteMetaArgument(file.name)}`, '\\set QUIET 1'];
    lines.push(`\\warn ${marker} start ${file.name}`);
    if (file.transactional) {
      lines.push(
        'BEGIN;',
        'SELECT txid_current() AS shipyard_transaction, clock_timestamp() AS shipyard_started \\gset',
        ...run,
        // A file with its own COMMIT ended our transaction: its changes are in, so it is recorded (and reported).
        "SELECT txid_current() = :'shipyard_transaction' AS shipyard_same_transaction \\gset",
        '\\if :shipyard_same_transaction',
        row,
        'COMMIT;',
        '\\else',
        `\\warn ${marker} own-commit ${file.name}`,
        row,
        '\\endif',
      );
    } else {
      lines.push('SELECT clock_timestamp() AS shipyard_started \\gset', ...run, row);
    }
    lines.push(`\\warn ${marker} done ${file.name}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A progress line of the apply script, or undefined for any other line (psql's and the files' output). */
export function parseProgress(line: string, marker: string): ProgressEvent | undefined {
  if (!line.startsWith(`${marker} `)) return undefined;
  const [kind, file] = line.slice(marker.length + 1).split(' ', 2);
  if (kind === 'start' || kind === 'done' || kind === 'own-commit') return file ? { kind, file } : undefined;
  if (['waiting', 'locked', 'changed', 'not-a-ledger', 'baselined'].includes(kind)) {
    return { kind } as ProgressEvent;
  }
  return undefined;
}

/** The first error psql printed (`psql:007_x.sql:3: ERROR:  …`), with the file and line it names. */
export function psqlError(lines: string[]): { message: string; file?: string; line?: number } | undefined {
  for (const text of lines) {
    const located = /^psql:(.+?):(\d+): (?:ERROR|FATAL|PANIC):\s+(.*)$/.exec(text);
    if (located) return { message: `ERROR: ${located[3]}`, file: located[1], line: Number(located[2]) };
    const bare = /^(?:psql: error: |psql: |(?:ERROR|FATAL|PANIC):\s+)(.*)$/.exec(text);
    if (bare) return { message: bare[1] };
  }
  return undefined;
}
