import * as core from '@shipyard/platform/core';
import { formatDuration } from '@shipyard/platform/duration';
import { SummaryBuilder } from '@shipyard/platform/summary';
import { Output } from './constants';
import type { Mode, RunContext } from './inputs';
import type { SnapshotKind } from './snapshot-id';

/** Everything the step learned, filled phase by phase: the outputs and the job summary are made from it. */
export interface Report {
  mode: Mode;
  /** The command as run: argv as JSON, a shell script, or what the task definition runs. */
  command: string;
  succeeded: boolean;
  /** Why the step failed, one line. */
  reason?: string;
  taskArn?: string;
  taskUrl?: string;
  logGroup?: string;
  logStream?: string;
  exitCode?: number;
  durationMs?: number;
  lastLines: string[];
  /** With `sql-directory`: what the ledger run did. */
  sql?: SqlReport;
  snapshot?: {
    id: string;
    kind: SnapshotKind;
    db: string;
    available: boolean;
    restore?: string;
  };
}

export interface SqlReport {
  ledger: string;
  /** Files applied by this run, in order. */
  applied: string[];
  /** Files recorded without running (`sql-baseline`). */
  baselined: string[];
  /** Files already in the ledger. */
  skipped: number;
  /** The file that failed or was stopped, and whether its changes were rolled back (not with no-transaction). */
  failed?: { file: string; rolledBack: boolean };
}

/** What each mode works with: the report to fill, the run's cancellation, who is running. */
export interface ModeContext {
  report: Report;
  signal: AbortSignal;
  run: RunContext;
}

export function newReport(mode: Mode, command: string): Report {
  return { mode, command, succeeded: false, lastLines: [] };
}

/** Sets every output the report can fill; called on success and failure alike. */
export function setOutputs(report: Report): void {
  if (report.taskArn) core.setOutput(Output.TaskArn, report.taskArn);
  if (report.logGroup) core.setOutput(Output.LogGroup, report.logGroup);
  if (report.logStream) core.setOutput(Output.LogStream, report.logStream);
  if (report.exitCode !== undefined) core.setOutput(Output.ExitCode, String(report.exitCode));
  if (report.durationMs !== undefined)
    core.setOutput(Output.DurationSeconds, String(Math.round(report.durationMs / 1000)));
  if (report.snapshot) core.setOutput(Output.SnapshotId, report.snapshot.id);
  if (report.sql) {
    core.setOutput(Output.SqlAppliedFiles, JSON.stringify(report.sql.applied));
    core.setOutput(Output.SqlBaselinedFiles, JSON.stringify(report.sql.baselined));
    core.setOutput(Output.SqlSkippedCount, String(report.sql.skipped));
  }
}

export function buildSummary(report: Report): SummaryBuilder {
  const summary = new SummaryBuilder().heading(
    report.succeeded ? 'Migration succeeded' : `Migration failed: ${report.reason ?? 'unknown reason'}`,
  );
  const rows: string[][] = [['Command', code(report.command)]];
  if (report.mode === 'ecs') {
    rows.push(['Task', report.taskArn ? link(code(report.taskArn), report.taskUrl) : 'not started']);
    if (report.logStream) rows.push(['Log stream', `${code(report.logStream)} in ${code(report.logGroup ?? '')}`]);
  } else {
    rows.push(['Ran on', 'the runner']);
  }
  if (report.sql) rows.push(...sqlRows(report.sql));
  rows.push(['Exit code', report.exitCode === undefined ? 'none' : String(report.exitCode)]);
  if (report.durationMs !== undefined) rows.push(['Duration', formatSeconds(report.durationMs)]);
  if (report.snapshot) {
    const state = report.snapshot.available ? 'available' : 'not available yet';
    rows.push(['Snapshot', `${code(report.snapshot.id)} of ${code(report.snapshot.db)} (${state})`]);
  }
  summary.table(['', ''], rows);
  if (report.lastLines.length) {
    summary.details(
      `Last ${report.lastLines.length} log lines`,
      new SummaryBuilder().code(report.lastLines.join('\n')),
    );
  }
  if (report.snapshot?.restore) {
    summary.raw(
      `To go back to the schema before this migration, restore the snapshot into a new database and point the ` +
        `app at it (restoring never overwrites ${code(report.snapshot.db)}):`,
    );
    summary.code(report.snapshot.restore, 'sh');
  }
  return summary;
}

function sqlRows(sql: SqlReport): string[][] {
  const files = (names: string[]) => (names.length ? names.map(code).join(', ') : 'none');
  const rows = [
    ['Ledger', code(sql.ledger)],
    ['Applied', files(sql.applied)],
  ];
  if (sql.baselined.length) rows.push(['Recorded without running (baseline)', files(sql.baselined)]);
  rows.push(['Already applied', String(sql.skipped)]);
  if (sql.failed) {
    const state = sql.failed.rolledBack
      ? 'rolled back, not recorded'
      : 'ran outside a transaction: may have run in part';
    rows.push(['Failed', `${code(sql.failed.file)} (${state})`]);
  }
  return rows;
}

/** A duration to the second: what a migration's length is worth reading. */
export function formatSeconds(ms: number): string {
  return formatDuration(Math.round(ms / 1000) * 1000);
}

function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text}${fence}`;
}

function link(text: string, url?: string): string {
  return url ? `[${text}](${url})` : text;
}
