import { ConfigError } from '@shipyard/platform/errors';
import { quote, readString } from '@shipyard/platform/inputs';
import { Input } from './constants';
import { listSqlFiles, parseBaseline, resolveBaseline, type SqlFile } from './sql-files';

const DEFAULT_LEDGER_TABLE = 'shipyard_migrations';
// Lower case only: PostgreSQL folds unquoted names to lower case, so `Migrations` would name two tables.
const LEDGER_TABLE = /^(?:([a-z_][a-z0-9_]{0,62})\.)?([a-z_][a-z0-9_]{0,62})$/;

/** The ledger table, `sql-ledger-table` parsed: where the applied files are recorded. */
export interface LedgerTable {
  schema?: string;
  table: string;
}

/** What `sql-directory` and its companions ask for, the files read once. */
export interface SqlInputs {
  /** As given, relative to the checkout: how messages name the folder. */
  directory: string;
  /** Its real path. */
  path: string;
  /** In run order. */
  files: SqlFile[];
  ledger: LedgerTable;
  baseline?: SqlFile;
}

/** An unquoted PostgreSQL name (`table` or `schema.table`, lower case, ≤ 63 characters each). */
export function parseLedgerTable(name: string, raw: string): LedgerTable {
  const value = raw.trim() || DEFAULT_LEDGER_TABLE;
  const match = LEDGER_TABLE.exec(value);
  if (!match || match[1]?.startsWith('pg_')) {
    throw new ConfigError(
      `Input "${name}" must be a table name or schema.table in lower-case letters, digits and underscores ` +
        `(each part ≤ 63 characters, not starting with a digit; no pg_ schema), got ${quote(raw)}.`,
    );
  }
  return match[1] ? { schema: match[1], table: match[2] } : { table: match[2] };
}

/** The SQL inputs, or undefined when `sql-directory` is not set (its companions then are mistakes). */
export function readSqlInputs(env: NodeJS.ProcessEnv = process.env): SqlInputs | undefined {
  const directory = readString(Input.SqlDirectory);
  if (!directory) {
    for (const name of [Input.SqlLedgerTable, Input.SqlBaseline]) {
      if (readString(name)) {
        throw new ConfigError(`Input "${name}" needs "${Input.SqlDirectory}": give the folder of SQL files too.`);
      }
    }
    return undefined;
  }
  const ledger = parseLedgerTable(Input.SqlLedgerTable, readString(Input.SqlLedgerTable));
  const baselineRaw = readString(Input.SqlBaseline);
  const baselineRef = baselineRaw ? parseBaseline(Input.SqlBaseline, baselineRaw) : undefined;
  const { path, files } = listSqlFiles(directory, env);
  const baseline = baselineRef ? resolveBaseline(baselineRef, files, directory) : undefined;
  return { directory, path, files, ledger, baseline };
}
