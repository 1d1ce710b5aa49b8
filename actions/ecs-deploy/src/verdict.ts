import { manualRollbackCommand } from '@shipyard/ecs/rollback/target';
import { Input } from './constants';
import { revisionName } from './register';
import type { RunReport, ServiceReport } from './report';
import type { SavedDeployment } from './state';

// The step's last word when it fails: one line naming every service that is not on its new revision, where it is,
// and the command that finishes what Shipyard could not. Pure.

interface Where {
  region: string;
  cluster: string;
}

/**
 * The one-line cause: which services failed and why, then where every service that is not on its new revision
 * stands — rolled back, or not restored with the command that finishes the job.
 */
export function failureMessage(where: Where, report: RunReport, culprits: string[]): string {
  const failedOnTheirOwn = report.services.filter((s) => culprits.includes(s.service));
  const failed = failedOnTheirOwn.length
    ? failedOnTheirOwn
    : report.services.filter((s) => s.result !== 'succeeded' && s.result !== 'unchanged');
  const why = failed.map((s) => `${s.service}: ${s.detail ?? s.result}`).join('; ');
  const lead =
    report.services.length === 1 ? why : `${failed.length} of ${report.services.length} services failed (${why})`;
  const restored = (s: ServiceReport) => !!s.now && (s.now === s.from || s.now === s.knownGood);
  const back = report.services.filter(
    (s) => !failedOnTheirOwn.includes(s) && (s.result === 'rolled-back' || (restored(s) && s.result !== 'unchanged')),
  );
  const notRestored = report.services.filter(
    (s) => !['succeeded', 'unchanged', 'rolled-back'].includes(s.result) && !restored(s),
  );
  const parts = [lead];
  if (back.length)
    parts.push(`rolled back: ${back.map((s) => `${s.service} to ${revisionName(s.now ?? s.from)}`).join(', ')}`);
  if (notRestored.length) {
    const commands = notRestored.map(
      (s) => `\`${manualRollbackCommand({ ...where, service: s.service, taskDefinitionArn: s.knownGood ?? s.from })}\``,
    );
    const states = notRestored.map((s) => `${s.service} (${s.now ? `on ${revisionName(s.now)}` : 'revision unknown'})`);
    parts.push(`NOT restored: ${states.join(', ')}; put back with ${commands.join(' and ')}, or the rollback action`);
  }
  return parts.join('. ');
}

/** The words a cancelled run ends with: which services were moving, and where they end up. */
export function cancelledMessage(where: Where & { rollbackOnCancel: boolean }, moving: SavedDeployment[]): string {
  const names = moving.map(
    (d) => `${d.service} (${revisionName(d.previousTaskDefinitionArn)} → ${revisionName(d.taskDefinitionArn)})`,
  );
  if (where.rollbackOnCancel) {
    const back = moving.map((d) => `${d.service} back on ${revisionName(d.knownGood ?? d.previousTaskDefinitionArn)}`);
    return `cancelled while deploying ${names.join(', ')}; the post step puts ${back.join(', ')}`;
  }
  const commands = moving.map(
    (d) =>
      `\`${manualRollbackCommand({ region: where.region, cluster: where.cluster, service: d.service, taskDefinitionArn: d.knownGood ?? d.previousTaskDefinitionArn })}\``,
  );
  return `cancelled while deploying ${names.join(', ')}; "${Input.RollbackOnCancel}" is false, so nothing is rolled back: put back with ${commands.join(' and ')}`;
}
