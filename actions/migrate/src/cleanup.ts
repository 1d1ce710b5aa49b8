import * as core from '@shipyard/platform/core';
import { runAction } from '@shipyard/platform/errors';
import { ACTION, State } from './constants';

export async function runPost(): Promise<void> {
  await runAction(ACTION, stopLeftoverTask);
}

/**
 * The post step: when the main step started a task and did not see it stop (the run was cancelled, or the step
 * was killed), stop it, so a cancelled deployment does not leave a migration running unwatched.
 */
export async function stopLeftoverTask(): Promise<void> {
  const startedBy = core.getState(State.StartedBy);
  const taskArn = core.getState(State.TaskArn);
  if ((!startedBy && !taskArn) || core.getState(State.TaskSettled) === 'true') {
    core.debug('No migration task left running by the main step.');
    return;
  }
  const cluster = core.getState(State.Cluster);
  const region = core.getState(State.Region);
  const { ECSClient, ListTasksCommand } = await import('@aws-sdk/client-ecs');
  const { createClient } = await import('@shipyard/platform/aws');
  const { stopTask } = await import('./watch');
  const ecs = createClient(ECSClient, { action: ACTION, region });
  // RunTask went out but its answer never came: the task, if it started, is the one running in this group (the
  // concurrency guard let none run beside it).
  const leftovers = taskArn
    ? [taskArn]
    : ((await ecs.send(new ListTasksCommand({ cluster, startedBy: startedBy! }))).taskArns ?? []);
  if (leftovers.length === 0) {
    core.info(`No task started by "${startedBy}" is running: the migration did not start.`);
    return;
  }
  for (const arn of leftovers) {
    core.info(`The main step did not see task ${arn} stop (the run was cancelled or the step was killed).`);
    await stopTask(ecs, cluster, arn, 'shipyard migrate: the GitHub Actions run was cancelled');
  }
  core.error(
    `migrate: the run ended before the migration did; task ${leftovers.join(', ')} was stopped — the migration may have run in part: check its log before running it again`,
  );
}
