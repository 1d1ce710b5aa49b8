import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import * as core from '@shipyard/platform/core';
import { formatDuration } from '@shipyard/platform/duration';
import { ConfigError, DeploymentFailure } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';
import { Input } from './constants';
import type { SqlRunnerInputs } from './inputs';
import { LastLines } from './output';
import { commandEnvironment, runCommand, snapshotFirst, type CommandRun } from './runner-mode';
import { psqlConnection, type PsqlConnection } from './sql-connection';
import type { SqlFile } from './sql-files';
import { planMigration, type SqlPlan } from './sql-plan';
import {
  applyScript,
  ledgerLockKey,
  ledgerName,
  newMarker,
  parseProgress,
  parseReadOutput,
  psqlError,
  readScript,
  type LedgerState,
} from './sql-scripts';
import type { ModeContext, SqlReport } from './summary';

/** `\warn` (the progress lines) came with psql 13. */
const MIN_PSQL_MAJOR = 13;
/** Each retry follows another run's whole migration, so a few are plenty; more means something keeps writing. */
const MAX_PLANS = 5;
/** psql exits with 2 when the connection was refused or lost. */
const PSQL_CONNECTION_EXIT = 2;

interface PsqlOutput extends CommandRun {
  /** Lines that are not progress lines, as printed. */
  lines: string[];
}

/** One psql process at a time, all sharing the step's timeout, the connection and the log's last lines. */
class Psql {
  private usedMs = 0;
  readonly lastLines: LastLines;
  exitCode?: number;

  constructor(
    private readonly inputs: SqlRunnerInputs,
    private readonly connection: PsqlConnection,
    private readonly signal: AbortSignal,
  ) {
    this.lastLines = new LastLines(inputs.logLines);
  }

  /** Runs psql on `script` in the SQL folder; `onProgress` gets the marker lines, every other line is printed. */
  async run(script: string, args: string[], marker: string, onProgress: (line: string) => void): Promise<PsqlOutput> {
    const folder = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'shipyard-sql-'));
    const file = join(folder, 'migrate.psql');
    writeFileSync(file, script);
    const lines: string[] = [];
    try {
      const psql = ['psql', '--no-psqlrc', '--no-password', '-v', 'ON_ERROR_STOP=1', ...args];
      const run = await runCommand({
        // Through one pipe, so an error shows after the output before it (exec: the signals still reach psql).
        argv: ['sh', '-c', 'exec "$@" 2>&1', 'sh', ...psql, ...this.connection.args, '--file', file],
        cwd: this.inputs.sql.path,
        env: this.connection.env,
        timeoutMs: Math.max(this.inputs.timeoutMs - this.usedMs, 1),
        signal: this.signal,
        // On SIGINT psql sends the server a cancel request, so a long statement stops now, not when it ends.
        stopSignal: 'SIGINT',
        onLine: (line) => {
          if (line.startsWith(`${marker} `)) return onProgress(line);
          core.info(line);
          lines.push(line);
          this.lastLines.push([line]);
        },
      });
      this.usedMs += run.durationMs;
      this.exitCode = run.exitCode ?? undefined;
      return { ...run, lines };
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  /** A line of ours about the files, in the log and among the last lines the summary repeats. */
  note(line: string): void {
    core.info(line);
    this.lastLines.push([line]);
  }

  get timeout(): string {
    return formatDuration(this.inputs.timeoutMs);
  }

  /** Refuses a missing psql, or one too old for the scripts, before anything else. */
  async checkVersion(): Promise<void> {
    let version = '';
    const run = await runCommand({
      argv: ['psql', '--version'],
      cwd: this.inputs.sql.path,
      env: this.connection.env,
      timeoutMs: 30_000,
      onLine: (line) => (version ||= line),
    }).catch(() => undefined);
    const major = Number(/(\d+)(?:\.\d+)*/.exec(version)?.[1]);
    if (!run || run.exitCode !== 0 || !major) {
      throw new ConfigError(
        `Input "${Input.SqlDirectory}" needs psql, the PostgreSQL client, on PATH: install it in an earlier step ` +
          '(e.g. `sudo apt-get install -y postgresql-client`).',
      );
    }
    if (major < MIN_PSQL_MAJOR) {
      throw new ConfigError(
        `Input "${Input.SqlDirectory}" needs psql ${MIN_PSQL_MAJOR} or later; found ${quote(version)}.`,
      );
    }
    core.info(`Using ${version}.`);
  }
}

function failureText(run: PsqlOutput): string {
  return psqlError(run.lines)?.message ?? `psql exited with code ${run.exitCode ?? run.signal}`;
}

async function readLedger(psql: Psql, ledger: string, inputs: SqlRunnerInputs): Promise<LedgerState> {
  const marker = newMarker();
  let foreign = false;
  const output: string[] = [];
  const run = await psql.run(readScript(inputs.sql.ledger, marker), ['--tuples-only', '--no-align'], marker, (line) =>
    line === `${marker} not-a-ledger` ? (foreign = true) : output.push(line),
  );
  if (run.stoppedFor) {
    throw new DeploymentFailure(
      run.stoppedFor === 'timeout'
        ? `the ledger ${ledger} could not be read within ${psql.timeout}; nothing was applied`
        : 'the run was cancelled while reading the ledger; nothing was applied',
    );
  }
  if (foreign) {
    throw new ConfigError(
      `Input "${Input.SqlLedgerTable}" names ${quote(ledger)}, a table that is not a Shipyard ledger (it lacks the ` +
        'columns file, version, checksum, baseline, applied_at): choose another name. Nothing was applied.',
    );
  }
  const state = run.exitCode === 0 ? parseReadOutput(output, marker) : undefined;
  if (!state) {
    const what =
      run.exitCode === PSQL_CONNECTION_EXIT ? 'could not connect to the database' : 'could not read the ledger';
    throw new DeploymentFailure(`${what} ${ledger}: ${failureText(run)}; nothing was applied`);
  }
  core.info(
    `Connected to database ${quote(state.database)} as ${quote(state.user)} (PostgreSQL ${state.serverVersion}); ` +
      `ledger ${ledger}: ${state.rows.length} file${state.rows.length === 1 ? '' : 's'} recorded.`,
  );
  return state;
}

function describePlan(plan: SqlPlan, inputs: SqlRunnerInputs, ledger: string): void {
  const { sql } = inputs;
  const names = (files: SqlFile[]) => files.map((file) => file.name).join(', ');
  core.info(
    `${sql.files.length} SQL files in ${quote(sql.directory)}: ${plan.skipped} already applied, ` +
      `${plan.pending.length} to apply${plan.pending.length ? ` (${names(plan.pending)})` : ''}.`,
  );
  if (plan.baseline.length) {
    core.info(`To record as applied by hand, without running them ("${Input.SqlBaseline}"): ${names(plan.baseline)}.`);
  }
  if (plan.baselineUnused === 'empty-database') {
    core.info(
      `"${Input.SqlBaseline}" is not used: the database has no tables, views or sequences of its own, so it was ` +
        'not migrated by hand; every file runs.',
    );
  }
  if (plan.missing.length) {
    core.warning(
      `The ledger ${ledger} records ${plan.missing.length} file(s) no longer in ${quote(sql.directory)}: ` +
        `${plan.missing.map((file) => quote(file)).join(', ')}. They stay recorded; nothing is undone.`,
    );
  }
}

/** What the apply script did: everything, or nothing because the ledger changed before the lock was ours. */
type ApplyOutcome = 'applied' | 'ledger-changed';

async function applyPlan(
  psql: Psql,
  plan: SqlPlan,
  state: LedgerState,
  inputs: SqlRunnerInputs,
  context: ModeContext,
  report: SqlReport,
): Promise<ApplyOutcome> {
  const { sql } = inputs;
  const marker = newMarker();
  const script = applyScript({ table: sql.ledger, marker, digest: state.digest, ...plan, run: context.run });
  let changed = false;
  let current: { file: SqlFile; started: number } | undefined;
  const byName = new Map(sql.files.map((file) => [file.name, file]));
  const run = await psql.run(script, [], marker, (line) => {
    const event = parseProgress(line, marker);
    if (event?.kind === 'waiting') {
      core.info(
        `Another run holds the lock of ledger ${report.ledger} (pg_advisory_lock(${ledgerLockKey(sql.ledger)})): ` +
          'waiting for it to finish.',
      );
    } else if (event?.kind === 'changed') changed = true;
    else if (event?.kind === 'baselined') {
      report.baselined = plan.baseline.map((file) => file.name);
      psql.note(`Recorded ${report.baselined.length} file(s) as applied by hand, without running them.`);
    } else if (event?.kind === 'start') {
      current = { file: byName.get(event.file) as SqlFile, started: Date.now() };
      psql.note(`▸ Applying ${event.file}${current.file.transactional ? '' : ' (outside a transaction)'}`);
    } else if (event?.kind === 'own-commit') {
      core.warning(
        `${event.file} ends the transaction itself (a COMMIT in the file), so it was recorded only after it ` +
          'committed: remove BEGIN/COMMIT from the file to run it atomically with its ledger row.',
      );
    } else if (event?.kind === 'done' && current) {
      report.applied.push(event.file);
      psql.note(`Applied ${event.file} in ${formatDuration(Date.now() - current.started)}.`);
      current = undefined;
    }
  });
  if (changed && run.exitCode === 0) return 'ledger-changed';
  if (run.exitCode === 0 && !run.stoppedFor && report.applied.length === plan.pending.length) return 'applied';
  throw applyFailure(run, psql, inputs, report, current?.file);
}

function applyFailure(
  run: PsqlOutput,
  psql: Psql,
  inputs: SqlRunnerInputs,
  report: SqlReport,
  file: SqlFile | undefined,
): DeploymentFailure {
  const before = report.applied.length ? ` (applied before it: ${report.applied.join(', ')})` : '';
  const stopped =
    run.stoppedFor === 'timeout'
      ? `did not finish within ${psql.timeout}`
      : 'was stopped because the run was cancelled';
  if (!file) {
    const cause = run.stoppedFor ? `psql ${stopped}` : failureText(run);
    return new DeploymentFailure(`could not prepare the ledger ${report.ledger}: ${cause}; no file was applied`);
  }
  report.failed = { file: file.name, rolledBack: file.transactional };
  const state = file.transactional
    ? `it was rolled back and is not recorded in ${report.ledger}`
    : 'it runs outside a transaction, so it may have run in part; it is not recorded';
  if (run.stoppedFor) {
    return new DeploymentFailure(`${file.name} ${stopped} (psql was stopped); ${state}${before}`);
  }
  const error = psqlError(run.lines);
  const line = error?.file === file.name ? error.line : undefined;
  if (error) {
    const path = posix.normalize(posix.join(inputs.sql.directory.replace(/\\/g, '/'), file.name));
    core.error(error.message, { title: `${file.name} failed`, file: path, startLine: line });
  }
  const cause = `${failureText(run)} (psql exit code ${run.exitCode ?? run.signal})`;
  return new DeploymentFailure(`${file.name} failed${line ? ` at line ${line}` : ''}: ${cause}; ${state}${before}`);
}

/** Mode runner with `sql-directory`: reads the ledger, snapshots when there is work, applies under the lock. */
export async function migrateSqlFiles(inputs: SqlRunnerInputs, context: ModeContext): Promise<void> {
  const { sql } = inputs;
  const started = Date.now();
  const ledger = ledgerName(sql.ledger);
  const report: SqlReport = { ledger, applied: [], baselined: [], skipped: 0 };
  context.report.sql = report;
  const connection = psqlConnection(commandEnvironment(inputs.environment), 'DATABASE_URL' in inputs.environment);
  if (connection.password) core.setSecret(connection.password);
  const psql = new Psql(inputs, connection, context.signal);
  try {
    await psql.checkVersion();
    let snapshotTaken = false;
    for (let attempt = 1; attempt <= MAX_PLANS; attempt++) {
      const state = await readLedger(psql, ledger, inputs);
      const plan = planMigration(sql.files, state, ledger, sql.baseline);
      report.skipped = plan.skipped;
      describePlan(plan, inputs, ledger);
      if (plan.pending.length === 0 && plan.baseline.length === 0) {
        core.info(`Nothing to apply: every file is in the ledger ${ledger}.`);
        return;
      }
      if (!snapshotTaken) await snapshotFirst(inputs, context);
      snapshotTaken = true;
      if ((await applyPlan(psql, plan, state, inputs, context, report)) === 'applied') {
        core.info(`Applied ${report.applied.length} file(s); ledger ${ledger} is up to date.`);
        return;
      }
      core.info(
        `The ledger ${ledger} changed while this run waited for its lock (another run applied files): reading it again.`,
      );
    }
    throw new DeploymentFailure(
      `the ledger ${ledger} changed ${MAX_PLANS} times while this run waited for its lock; nothing was applied`,
    );
  } finally {
    context.report.lastLines = psql.lastLines.lines;
    context.report.durationMs = Date.now() - started;
    context.report.exitCode = psql.exitCode;
  }
}
