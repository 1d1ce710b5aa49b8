import * as core from '@shipyard/platform/core';
import { shortTaskDefinition } from '@shipyard/ecs/names';
import { DeploymentFailure, runAction } from '@shipyard/platform/errors';
import { readBoolean, readDuration } from '@shipyard/platform/inputs';
import { group } from '@shipyard/platform/log';
import { ACTION, AWS_MAX_ATTEMPTS, Input } from './constants';
import { readSavedState } from './state';

// The post step: when main stopped before reaching a verdict (a cancelled workflow), roll back what it started,
// unless rollback-on-cancel is false. After a normal end main marks the state settled and this does nothing.

const MINUTE_MS = 60_000;

async function post(): Promise<void> {
  const { settled, saved } = readSavedState();
  if (settled || !saved?.deployments.length) {
    core.info('Nothing to roll back: no service was changed.');
    return;
  }
  const started = saved.deployments.map((d) => `${d.service} → ${shortTaskDefinition(d.taskDefinitionArn)}`).join(', ');
  if (!readBoolean(Input.RollbackOnCancel, true)) {
    core.warning(
      `The deploy step stopped before its deployments finished (${started}); "${Input.RollbackOnCancel}" is false, so they are left as they are.`,
    );
    return;
  }
  const timeoutMs = readDuration(Input.Timeout, 30 * MINUTE_MS);
  const [{ ECSClient }, { createClient }, { rollBack }, { SummaryBuilder, writeSummary }] = await Promise.all([
    import('@aws-sdk/client-ecs'),
    import('@shipyard/platform/aws'),
    import('./rollback'),
    import('@shipyard/platform/summary'),
  ]);
  const ecs = createClient(ECSClient, { action: ACTION, region: saved.region, maxAttempts: AWS_MAX_ATTEMPTS });
  const results = await group(`Roll back after cancellation: ${started}`, () =>
    rollBack(
      ecs,
      saved.cluster,
      saved.deployments.map((d) => ({
        target: {
          service: d.service,
          taskDefinitionArn: d.taskDefinitionArn,
          deploymentId: d.deploymentId,
          serviceDeploymentArn: d.serviceDeploymentArn,
        },
        previousTaskDefinitionArn: d.previousTaskDefinitionArn,
        knownGood: d.knownGood ?? d.previousTaskDefinitionArn,
      })),
      { timeoutMs },
    ),
  );
  await writeSummary(
    new SummaryBuilder().heading('Rolled back after the run was cancelled', 3).table(
      ['Service', 'Result', 'Detail'],
      results.map((r) => [r.service, r.outcome, r.detail]),
    ),
  );
  const failed = results.filter((r) => r.outcome !== 'rolled-back');
  if (failed.length) {
    throw new DeploymentFailure(
      `rollback after cancellation failed for ${failed.map((r) => `${r.service} (${r.detail})`).join(', ')}`,
    );
  }
}

export async function runPost(): Promise<void> {
  await runAction(ACTION, post);
}
