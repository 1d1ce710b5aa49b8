import * as core from '@shipyard/platform/core';
import { formatDuration } from '@shipyard/platform/duration';
import { changesTable, formatChangeLines, type TaskDefinitionChange } from '@shipyard/ecs/diff';
import { shortTaskDefinition } from '@shipyard/ecs/names';
import { describeRollbackTarget, type RollbackMethod } from '@shipyard/ecs/rollback/target';
import { SummaryBuilder } from '@shipyard/platform/summary';
import { Output, type RollbackStatus } from './constants';
import type { Inputs } from './inputs';

// What the rollback did, service by service, and how it is told: the plan in the log, the outputs, the job summary.
// Pure apart from setOutputs; written on success and failure alike.

export type ServiceResult = 'planned' | 'unchanged' | 'started' | 'succeeded' | 'failed';

export interface ServiceReport {
  service: string;
  fromArn?: string;
  toArn?: string;
  /** Why this target, e.g. "the last revision whose deployment completed before the current one". */
  basis?: string;
  method?: RollbackMethod;
  /** The `git-sha` tags ecs-deploy writes on the revisions it registers, when present. */
  fromGitSha?: string;
  toGitSha?: string;
  changes: TaskDefinitionChange[];
  result: ServiceResult;
  /** Why it failed. */
  reason?: string;
  durationMs?: number;
  /** The failure explained (@shipyard/ecs/explain), one line each. */
  explanation?: string[];
}

export interface Report {
  cluster: string;
  target: string;
  dryRun: boolean;
  services: ServiceReport[];
  verification?: { urls: string[]; passed: boolean; reason?: string };
  status?: RollbackStatus;
  /** The one-line cause when the run failed. */
  failure?: string;
}

export const GIT_SHA_TAG = 'git-sha';
const METHOD_TEXT: Record<RollbackMethod, string> = {
  none: 'nothing to do: already on it',
  stop: 'StopServiceDeployment (ROLLBACK) of the deployment in flight',
  await: 'wait: ECS is already moving to it',
  update: 'UpdateService',
};
const RESULT_TEXT: Record<ServiceResult, string> = {
  planned: '📝 planned',
  unchanged: '➖ unchanged',
  started: '▶️ started',
  succeeded: '✅ rolled back',
  failed: '❌ failed',
};

export function newReport(inputs: Inputs): Report {
  return {
    cluster: inputs.cluster,
    target: describeRollbackTarget(inputs.target),
    dryRun: inputs.dryRun,
    services: inputs.services.map((service) => ({ service, changes: [], result: 'planned' })),
  };
}

export function describeMethod(method: RollbackMethod): string {
  return METHOD_TEXT[method];
}

function revisionText(arn: string | undefined, gitSha: string | undefined): string {
  return `${shortTaskDefinition(arn)}${gitSha ? ` (git ${gitSha.slice(0, 7)})` : ''}`;
}

/** The plan of one service as log lines: from → to, why, how, and what changes. */
export function planLines(entry: ServiceReport): string[] {
  const head =
    `${entry.service}: ${revisionText(entry.fromArn, entry.fromGitSha)} → ${revisionText(entry.toArn, entry.toGitSha)}` +
    (entry.method ? ` — ${describeMethod(entry.method)}` : '');
  const lines = [head];
  if (entry.basis) lines.push(`  target: ${entry.basis}`);
  if (entry.method !== 'none') lines.push(...formatChangeLines(entry.changes).map((line) => `  ${line}`));
  return lines;
}

/** Service → task definition ARN for the services that satisfy `include`, as the outputs' JSON. */
function arnMap(
  report: Report,
  pick: (s: ServiceReport) => string | undefined,
  include: (s: ServiceReport) => boolean,
) {
  return JSON.stringify(
    Object.fromEntries(report.services.filter(include).flatMap((s) => (pick(s) ? [[s.service, pick(s)]] : []))),
  );
}

/** On the target now (or, in a dry run or without waiting, planned / started towards it). */
function reachedOrPlanned(entry: ServiceReport): boolean {
  return entry.result !== 'failed' && entry.toArn !== undefined;
}

export function outputs(report: Report): Record<string, string> {
  return {
    [Output.RolledBackTo]: arnMap(report, (s) => s.toArn, reachedOrPlanned),
    [Output.RolledBackFrom]: arnMap(
      report,
      (s) => s.fromArn,
      (s) => s.fromArn !== undefined,
    ),
    [Output.Status]: report.status ?? 'failed',
  };
}

export function setOutputs(report: Report): void {
  for (const [name, value] of Object.entries(outputs(report))) core.setOutput(name, value);
}

function roundToSeconds(ms: number): number {
  return Math.max(1_000, Math.round(ms / 1_000) * 1_000);
}

function title(report: Report): string {
  if (report.dryRun) return `Rollback plan (dry run: nothing changed) — cluster ${report.cluster}`;
  const verdict = report.status === 'succeeded' ? 'succeeded' : report.status === 'started' ? 'started' : 'failed';
  return `Rollback ${verdict} — cluster ${report.cluster}`;
}

export function buildSummary(report: Report): SummaryBuilder {
  const summary = new SummaryBuilder().heading(title(report));
  summary.raw(`Target: \`${report.target}\``);
  if (report.failure) summary.raw(`**Failed:** ${report.failure}`);
  summary.table(
    ['Service', 'From', 'To', 'Why this revision', 'How', 'Result'],
    report.services.map((s) => [
      s.service,
      s.fromArn ? `\`${revisionText(s.fromArn, s.fromGitSha)}\`` : '–',
      s.toArn ? `\`${revisionText(s.toArn, s.toGitSha)}\`` : '–',
      s.basis ?? '–',
      s.method ? describeMethod(s.method) : '–',
      `${RESULT_TEXT[s.result]}${s.durationMs !== undefined ? ` in ${formatDuration(roundToSeconds(s.durationMs))}` : ''}` +
        (s.reason ? `: ${s.reason}` : ''),
    ]),
  );
  const { verification } = report;
  if (verification) {
    const urls = verification.urls.map((url) => `\`${url}\``).join(', ');
    summary.raw(
      verification.passed ? `Verified: ${urls}` : `**Verification failed** (${urls}): ${verification.reason}`,
    );
  }
  for (const s of report.services) {
    if (s.method === 'none' || s.changes.length === 0) continue;
    const { header, rows } = changesTable(s.changes);
    summary.details(
      `${s.service}: what changes from ${shortTaskDefinition(s.fromArn)} to ${shortTaskDefinition(s.toArn)}`,
      new SummaryBuilder().table(header, rows),
    );
  }
  for (const s of report.services) {
    if (s.explanation?.length)
      summary.details(`Why ${s.service} failed`, new SummaryBuilder().code(s.explanation.join('\n')));
  }
  return summary;
}
