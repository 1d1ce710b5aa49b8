import * as core from '@shipyard/shared/core';
import { runAction } from '@shipyard/shared/errors';
import { ACTION, State } from './constants';

export async function runPost(): Promise<void> {
  await runAction(ACTION, stopLeftoverTask);
}

/**
 * The post step: when the main step started a task and did not see it stop (the run was cancelled, or the step
 * was killed), stop it, so a cancelled deployment does not leave a migration running unwatched.
 */
export async function stopLeftoverTask(): Promise<void> {
  const taskArn = core.getState(State.TaskArn);
  if (!taskArn || core.getState(State.TaskSettled) === 'true') {
    core.debug('No migration task left running by the main step.');
    return;
  }
  const cluster = core.getState(State.Cluster);
  const region = core.getState(State.Region);
  const { ECSClient } = await import('@aws-sdk/client-ecs');
  const { createClient } = await import('@shipyard/shared/aws');
  const { stopTask } = await import('./watch');
  const ecs = createClient(ECSClient, { action: ACTION, region });
  core.info(`The main step did not see task ${taskArn} stop (the run was cancelled or the step was killed).`);
  await stopTask(ecs, cluster, taskArn, 'shipyard migrate: the GitHub Actions run was cancelled');
}
