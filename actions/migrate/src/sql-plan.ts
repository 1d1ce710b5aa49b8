import { ConfigError } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';
import { Input } from './constants';
import { compareVersions, formatVersion, parseFileVersion, type SqlFile, type SqlVersion } from './sql-files';
import { quoteLiteral, type LedgerRow, type LedgerState } from './sql-scripts';

/** What a run will do, decided from the files and the ledger as read. */
export interface SqlPlan {
  /** Files recorded as applied without running (`sql-baseline`, first run on a database migrated by hand). */
  baseline: SqlFile[];
  /** Files to run, in order. */
  pending: SqlFile[];
  /** Files already in the ledger, with the same content. */
  skipped: number;
  /** Ledger rows whose file is no longer in the folder. */
  missing: string[];
  /** Why `sql-baseline` records nothing this run, when it is set and records nothing. */
  baselineUnused?: 'ledger-started' | 'empty-database';
}

const LISTED = 5;

function list(names: string[]): string {
  const shown = names.slice(0, LISTED).map(quote).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

/** Refuses files whose content changed after they ran: the database has the old content, the folder the new. */
function refuseChangedFiles(files: SqlFile[], rows: Map<string, LedgerRow>, ledger: string): void {
  const changed = files.filter((file) => {
    const row = rows.get(file.name);
    return row !== undefined && row.checksum !== file.checksum;
  });
  if (changed.length === 0) return;
  const [first] = changed;
  const row = rows.get(first.name) as LedgerRow;
  const how = row.baseline ? 'recorded as applied by hand (baseline)' : 'applied';
  throw new ConfigError(
    `${quote(first.name)} changed after it was ${how} on ${row.appliedAt}` +
      (changed.length > 1 ? ` (and so did ${list(changed.slice(1).map((file) => file.name))})` : '') +
      `: its SHA-256 is now ${first.checksum}, the ledger ${ledger} has ${row.checksum}. A file that ran never ` +
      'runs again, so the database does not have the change: restore the file and put the change in a new file. ' +
      `If the change does not matter to the database (a comment), accept it with: UPDATE ${ledger} SET checksum = ` +
      `${quoteLiteral(first.checksum)} WHERE file = ${quoteLiteral(first.name)};`,
  );
}

function latestRecorded(rows: LedgerRow[]): { file: string; version: SqlVersion } | undefined {
  let latest: { file: string; version: SqlVersion } | undefined;
  for (const row of rows) {
    const version = parseFileVersion(row.file);
    if (version && (!latest || compareVersions(version, latest.version) > 0)) latest = { file: row.file, version };
  }
  return latest;
}

/**
 * Which files to record and which to run. Throws a ConfigError for a file changed since it ran, and for a new file
 * that sorts before one already in the ledger (added or renamed after later files ran: running it now would run
 * it out of order).
 */
export function planMigration(files: SqlFile[], state: LedgerState, ledger: string, baselineFile?: SqlFile): SqlPlan {
  const rows = new Map(state.rows.map((row) => [row.file, row]));
  refuseChangedFiles(files, rows, ledger);
  const names = new Set(files.map((file) => file.name));
  const missing = state.rows.filter((row) => !names.has(row.file)).map((row) => row.file);
  let unrecorded = files.filter((file) => !rows.has(file.name));
  let baseline: SqlFile[] = [];
  let baselineUnused: SqlPlan['baselineUnused'];
  if (baselineFile) {
    if (state.rows.length > 0) baselineUnused = 'ledger-started';
    else if (state.ownRelations === 0) baselineUnused = 'empty-database';
    else {
      baseline = unrecorded.filter((file) => compareVersions(file.version, baselineFile.version) <= 0);
      unrecorded = unrecorded.filter((file) => compareVersions(file.version, baselineFile.version) > 0);
    }
  }
  const latest = latestRecorded(state.rows);
  const early = latest ? unrecorded.filter((file) => compareVersions(file.version, latest.version) <= 0) : [];
  if (latest && early.length > 0) {
    const file = early[0];
    const record =
      `INSERT INTO ${ledger} (file, version, checksum, baseline) VALUES (${quoteLiteral(file.name)}, ` +
      `${quoteLiteral(formatVersion(file.version))}, ${quoteLiteral(file.checksum)}, true);`;
    throw new ConfigError(
      `${list(early.map((candidate) => candidate.name))} ${early.length > 1 ? 'are' : 'is'} not in the ledger ` +
        `${ledger} but ${early.length > 1 ? 'sort' : 'sorts'} before ${quote(latest.file)}, which is: added or ` +
        'renamed after later files ran, running it now would run it out of order. Rename it to sort after ' +
        `${quote(latest.file)}; or, if the database already has it (applied by hand), record it: ${record}` +
        (baselineFile && state.rows.length > 0
          ? ` ("${Input.SqlBaseline}" only records files while the ledger is still empty.)`
          : ''),
    );
  }
  return {
    baseline,
    pending: unrecorded,
    skipped: files.length - unrecorded.length - baseline.length,
    missing,
    baselineUnused,
  };
}
