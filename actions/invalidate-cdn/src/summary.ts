import * as core from '@shipyard/platform/core';
import { SummaryBuilder } from '@shipyard/platform/summary';
import type { ChangedFiles } from './changes';
import { estimateCost, formatUsd, FREE_PATHS_PER_MONTH, USD_PER_PATH } from './collapse';
import { Output } from './constants';
import type { ResolvedDistribution } from './distributions';
import type { Plan } from './plan';
import type { InvalidationRecord } from './submit';

/** Everything the step learned, filled phase by phase: the outputs and the job summary are made from it. */
export interface Report {
  plan: Plan;
  /** As the workflow named them, until they are resolved. */
  distributionNames: string[];
  distributions?: ResolvedDistribution[];
  invalidations: InvalidationRecord[];
  changes?: ChangedFiles;
  wait: boolean;
  succeeded: boolean;
  /** Why the step failed, one line. */
  reason?: string;
}

const LISTED_AT_MOST = 50;

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

function distributionCount(report: Report): number {
  return report.distributions?.length ?? report.distributionNames.length;
}

/** Paths in invalidations this step created (reused ones were billed when first created). */
function billedPaths(report: Report): number {
  return report.invalidations.filter((i) => !i.reused).reduce((sum, i) => sum + i.paths, 0);
}

export function outputsOf(report: Report): Record<string, string> {
  return {
    [Output.InvalidationIds]: report.invalidations.map((i) => i.id).join(','),
    [Output.PathsRequested]: String(report.plan.requested.length * distributionCount(report)),
    [Output.PathsSubmitted]: String(billedPaths(report)),
    [Output.EstimatedCost]: formatUsd(estimateCost(billedPaths(report))),
  };
}

export function setOutputs(report: Report): void {
  for (const [name, value] of Object.entries(outputsOf(report))) core.setOutput(name, value);
}

function headline(report: Report): string {
  if (!report.succeeded) return 'CloudFront invalidation failed';
  if (report.plan.submitted.length === 0) return 'CloudFront invalidation: nothing to invalidate';
  return report.wait ? 'CloudFront invalidation completed' : 'CloudFront invalidation submitted';
}

function costText(report: Report): string {
  const count = distributionCount(report);
  const requested = report.plan.requested.length * count;
  const submitted = report.plan.submitted.length * count;
  const lines = [
    `**${plural(requested, 'path')}** requested, **${submitted.toLocaleString('en-US')}** submitted` +
      (count > 1 ? ` (over ${count} distributions).` : '.'),
    `Estimated cost **$${formatUsd(estimateCost(submitted))}** while the month's ` +
      `${FREE_PATHS_PER_MONTH.toLocaleString('en-US')} free paths last, ` +
      `$${formatUsd(submitted * USD_PER_PATH)} once they are used up.`,
  ];
  if (report.plan.collapsed.length) {
    const replaced = report.plan.collapsed.reduce((sum, c) => sum + c.replaces, 0);
    lines.push(
      `Cost mode (budget ${plural(report.plan.budgetPerDistribution ?? 0, 'path')} per distribution) covered ` +
        `${plural(replaced, 'path')} with ${plural(report.plan.collapsed.length, 'wildcard')}; every requested ` +
        `path would have cost $${formatUsd(estimateCost(requested))}.`,
    );
  }
  const billed = billedPaths(report);
  if (report.invalidations.some((i) => i.reused)) {
    lines.push(`Reused invalidations of an earlier attempt: only ${plural(billed, 'path')} newly billed.`);
  }
  return lines.join('\n');
}

function listed(items: string[]): string[] {
  const shown = items.slice(0, LISTED_AT_MOST).map((item) => `\`${item}\``);
  return items.length > LISTED_AT_MOST ? [...shown, `… and ${items.length - LISTED_AT_MOST} more`] : shown;
}

/** When an input is wrong there is no plan yet: the reason, and the reassurance that AWS was not called. */
export function inputErrorSummary(reason: string): SummaryBuilder {
  return new SummaryBuilder()
    .heading('CloudFront invalidation failed')
    .raw(`**Failed:** ${reason}\nNothing was sent to CloudFront.`);
}

export function buildSummary(report: Report): SummaryBuilder {
  const summary = new SummaryBuilder().heading(headline(report));
  if (report.reason) summary.raw(`**Failed:** ${report.reason}`);
  const names = new Map((report.distributions ?? []).map((d) => [d.id, d.requestedAs]));
  const label = (id: string) => (names.has(id) && names.get(id) !== id ? `${id} (${names.get(id)})` : id);
  if (report.invalidations.length) {
    summary.table(
      ['Distribution', 'Invalidation', 'Batch', 'Paths', 'Status'],
      report.invalidations.map((i) => [
        label(i.distributionId),
        i.reused ? `${i.id} (reused)` : i.id,
        `${i.batch}/${i.batches}`,
        i.paths,
        i.status,
      ]),
    );
  }
  summary.raw(costText(report));
  if (report.plan.collapsed.length) {
    summary.details(
      `Wildcards from cost mode (${report.plan.collapsed.length})`,
      new SummaryBuilder().list(
        report.plan.collapsed.map((c) => `\`${c.wildcard}\` for ${plural(c.replaces, 'path')}`),
      ),
    );
  }
  const ignored = report.changes?.ignored ?? [];
  if (ignored.length) {
    summary.details(
      `Changed files outside the site, ignored (${ignored.length})`,
      new SummaryBuilder().list(listed(ignored)),
    );
  }
  const failed = report.changes?.failed ?? [];
  if (failed.length) {
    summary.details(
      `Transfers that failed, not invalidated (${failed.length})`,
      new SummaryBuilder().list(listed(failed)),
    );
  }
  return summary;
}
