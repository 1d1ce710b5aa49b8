import { ListTasksCommand, type ECSClient } from '@aws-sdk/client-ecs';
import * as core from '@shipyard/platform/core';
import { DeploymentFailure } from '@shipyard/platform/errors';
import { poll, type Clock } from '@shipyard/platform/poll';
import { readPages } from '@shipyard/platform/pages';
import { Input } from './constants';
import type { EcsInputs } from './inputs';
import { formatSeconds } from './summary';

export interface GuardOptions {
  signal?: AbortSignal;
  clock?: Clock;
}

/**
 * Refuses to start while another task of the same startedBy group is PENDING or RUNNING, or waits for it when
 * concurrency-policy is `wait`. Two runs checking at the same instant can both pass: the workflow's `concurrency`
 * group and the migration tool's own lock remain the real guarantees.
 */
export async function guardConcurrency(ecs: ECSClient, inputs: EcsInputs, options: GuardOptions = {}): Promise<void> {
  const running = await runningTasks(ecs, inputs);
  if (running.length === 0) {
    core.info(`No other task started by "${inputs.startedBy}" is running in cluster ${inputs.cluster}.`);
    return;
  }
  const list = running.join(', ');
  if (inputs.concurrencyPolicy === 'refuse') {
    throw new DeploymentFailure(
      `another migration started by "${inputs.startedBy}" is still running in cluster ${inputs.cluster}: ${list}`,
      `Wait for it to finish, stop it, or set ${Input.ConcurrencyPolicy}: wait to queue behind it.`,
    );
  }
  core.info(`Waiting for ${list} (started by "${inputs.startedBy}") to stop before migrating.`);
  await poll({
    describe: (signal) => runningTasks(ecs, inputs, signal),
    isDone: (tasks) => tasks.length === 0,
    onProgress: ({ state, elapsedMs }) =>
      core.info(`Still running after ${formatSeconds(elapsedMs)}: ${state.join(', ')}`),
    fingerprint: (tasks) => tasks.join(','),
    timeoutMs: inputs.timeoutMs,
    signal: options.signal,
    clock: options.clock,
    minIntervalMs: 5_000,
    maxIntervalMs: 30_000,
    waitingFor: `the other migration started by "${inputs.startedBy}" to stop`,
  });
}

/**
 * ListTasks allows startedBy only as its sole filter; its default desired-status filter, RUNNING, covers tasks
 * still PENDING too, which is what counts here.
 */
async function runningTasks(ecs: ECSClient, inputs: EcsInputs, signal?: AbortSignal): Promise<string[]> {
  const { items } = await readPages(async (nextToken) => {
    const page = await ecs.send(
      new ListTasksCommand({ cluster: inputs.cluster, startedBy: inputs.startedBy, nextToken }),
      { abortSignal: signal },
    );
    return { items: page.taskArns, next: page.nextToken };
  });
  return items;
}
