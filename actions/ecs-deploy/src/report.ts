import * as core from '@shipyard/platform/core';
import { formatDuration } from '@shipyard/platform/duration';
import { changesTable, type TaskDefinitionChange } from '@shipyard/ecs/diff';
import { SummaryBuilder } from '@shipyard/platform/summary';
import { Output } from './constants';
import { revisionName } from './register';

// The run's outcome as outputs and a job summary: one row per service, the task definition changes collapsed, the
// failure explanation when something failed. Pure except setOutputs.

export type ServiceResultKind =
  | 'succeeded'
  | 'unchanged'
  | 'started'
  | 'failed'
  | 'timed-out'
  | 'rolled-back'
  | 'rollback-failed'
  | 'cancelled'
  | 'not-started'
  | 'planned'
  | 'registered';

export interface ServiceReport {
  service: string;
  from: string;
  to: string;
  strategy: string;
  result: ServiceResultKind;
  durationMs?: number;
  deploymentId?: string;
  /** One line: why it failed, how it was rolled back. */
  detail?: string;
  /** The revision the service ends on, when a rollback read it. */
  now?: string;
  /** Where a rollback takes it (the revision it ran before when no known-good one is known). */
  knownGood?: string;
}

export type RunStatus = 'succeeded' | 'started' | 'failed' | 'rolled-back' | 'cancelled' | 'planned' | 'registered';

export interface RunReport {
  status: RunStatus;
  cluster: string;
  region: string;
  services: ServiceReport[];
  /** Task definition changes per distinct from → to. */
  changes: { from: string; to: string; changes: TaskDefinitionChange[] }[];
  /** The failure explanation, as log lines. */
  explanation: string[];
  durationMs: number;
}

const RESULT_TEXT: Record<ServiceResultKind, string> = {
  succeeded: '✅ succeeded',
  unchanged: '➖ unchanged',
  started: '🚀 started (not watched)',
  failed: '❌ failed',
  'timed-out': '⏱️ timed out',
  'rolled-back': '↩️ rolled back',
  'rollback-failed': '🔥 rollback failed',
  cancelled: '⏹️ cancelled',
  'not-started': '➖ not started',
  planned: '📝 would deploy',
  registered: '📦 registered',
};

export function consoleUrl(region: string, cluster: string, service: string): string {
  const host = region.startsWith('cn-') ? `${region}.console.amazonaws.cn` : `${region}.console.aws.amazon.com`;
  return `https://${host}/ecs/v2/clusters/${encodeURIComponent(cluster)}/services/${encodeURIComponent(service)}/deployments?region=${region}`;
}

/** The overall status: a failure counts as rolled back only when every service that changed is back. */
export function runStatus(services: ServiceReport[], cancelled: boolean): RunStatus {
  if (cancelled) return 'cancelled';
  const results = services.map((s) => s.result);
  if (results.every((r) => r === 'succeeded' || r === 'unchanged')) return 'succeeded';
  if (results.every((r) => r === 'started' || r === 'unchanged')) return 'started';
  const changed = results.filter((r) => r !== 'unchanged' && r !== 'not-started');
  return changed.length > 0 && changed.every((r) => r === 'rolled-back') ? 'rolled-back' : 'failed';
}

/** One service: the plain value; several: `service=value` lines. */
export function perService(services: ServiceReport[], value: (s: ServiceReport) => string | undefined): string {
  const values = services.map((s) => [s.service, value(s) ?? ''] as const);
  if (values.length === 1) return values[0][1];
  return values.map(([service, v]) => `${service}=${v}`).join('\n');
}

export function setOutputs(report: RunReport): void {
  const distinct = (pick: (s: ServiceReport) => string) => new Set(report.services.map(pick));
  const arnOutput = (pick: (s: ServiceReport) => string) =>
    distinct(pick).size === 1 ? pick(report.services[0]) : perService(report.services, pick);
  core.setOutput(
    Output.TaskDefinitionArn,
    arnOutput((s) => s.to),
  );
  core.setOutput(
    Output.PreviousTaskDefinitionArn,
    arnOutput((s) => s.from),
  );
  core.setOutput(
    Output.DeploymentIds,
    perService(report.services, (s) => s.deploymentId),
  );
  core.setOutput(Output.Status, report.status);
  core.setOutput(Output.RolledBack, String(report.services.some((s) => s.result === 'rolled-back')));
  core.setOutput(Output.DurationSeconds, String(Math.round(report.durationMs / 1000)));
}

const HEADLINE: Record<RunStatus, string> = {
  succeeded: 'deployed',
  started: 'started (not waited for)',
  failed: 'failed',
  'rolled-back': 'failed and rolled back',
  cancelled: 'cancelled',
  planned: 'plan',
  registered: 'registration',
};

export function buildSummary(report: RunReport): SummaryBuilder {
  const summary = new SummaryBuilder();
  const names = report.services.map((s) => s.service).join(', ');
  summary.heading(`ECS deploy ${HEADLINE[report.status]}: ${names} (${report.cluster})`);
  summary.table(
    ['Service', 'From → to', 'Strategy', 'Duration', 'Result', 'Console'],
    report.services.map((s) => [
      s.service,
      `${revisionName(s.from)} → ${revisionName(s.to)}`,
      s.strategy,
      s.durationMs === undefined ? '–' : formatDuration(Math.round(s.durationMs / 1000) * 1000),
      s.detail ? `${RESULT_TEXT[s.result]}<br>${s.detail}` : RESULT_TEXT[s.result],
      `[deployments](${consoleUrl(report.region, report.cluster, s.service)})`,
    ]),
  );
  for (const { from, to, changes } of report.changes) {
    const title = `Task definition changes: ${revisionName(from)} → ${revisionName(to)} (${changes.length})`;
    const table = changesTable(changes);
    summary.details(title, changes.length ? new SummaryBuilder().table(table.header, table.rows) : 'No changes.');
  }
  if (report.explanation.length) {
    summary.heading('Why it failed', 3);
    summary.code(report.explanation.join('\n'));
  }
  summary.raw(`Took ${formatDuration(Math.round(report.durationMs / 1000) * 1000)}.`);
  return summary;
}
