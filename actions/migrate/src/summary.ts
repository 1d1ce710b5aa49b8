import * as core from '@shipyard/shared/core';
import { formatDuration } from '@shipyard/shared/duration';
import { SummaryBuilder } from '@shipyard/shared/summary';
import { Outputs } from './constants';
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
  snapshot?: {
    id: string;
    kind: SnapshotKind;
    db: string;
    available: boolean;
    restore?: string;
  };
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
  if (report.taskArn) core.setOutput(Outputs.TaskArn, report.taskArn);
  if (report.logGroup) core.setOutput(Outputs.LogGroup, report.logGroup);
  if (report.logStream) core.setOutput(Outputs.LogStream, report.logStream);
  if (report.exitCode !== undefined) core.setOutput(Outputs.ExitCode, String(report.exitCode));
  if (report.durationMs !== undefined)
    core.setOutput(Outputs.DurationSeconds, String(Math.round(report.durationMs / 1000)));
  if (report.snapshot) core.setOutput(Outputs.SnapshotId, report.snapshot.id);
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
