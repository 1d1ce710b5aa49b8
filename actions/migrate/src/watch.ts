import {
  DescribeTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type Failure,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';
import { randomUUID } from 'node:crypto';
import * as core from '@shipyard/platform/core';
import { isUnknownTaskDefinition, unknownTaskDefinitionYet } from '@shipyard/ecs/consistency';
import { NEW_RESOURCE_PATIENCE_MS, untilVisible } from '@shipyard/platform/consistency';
import { taskId } from '@shipyard/ecs/names';
import { DeploymentFailure, describeError } from '@shipyard/platform/errors';
import { formatDuration } from '@shipyard/platform/duration';
import { poll, systemClock, type Clock } from '@shipyard/platform/poll';
import { describeRunTaskFailures } from './outcome';
import type { LastLines } from './output';

/** Where the container's log lines come from (a LogFollower of @shipyard/ecs/task-logs). */
export interface LineSource {
  next(signal?: AbortSignal): Promise<string[]>;
}

/**
 * RunTask; `failures[]` arrive with HTTP 200 and mean nothing was started. A task definition ECS does not know (yet:
 * a revision registered moments ago) is tried again for a while: that answer started nothing either.
 */
export async function startTask(ecs: ECSClient, input: RunTaskCommandInput): Promise<Task> {
  // One client token for every try: ECS answers a repeated one with the tasks it started, never a second task.
  const request = { ...input, clientToken: input.clientToken ?? randomUUID() };
  const { tasks, failures } = await untilVisible(() => ecs.send(new RunTaskCommand(request)), {
    isUnseen: isUnknownTaskDefinition,
    onRetry: unknownTaskDefinitionYet(input.taskDefinition ?? ''),
  });
  const task = tasks?.[0];
  if (failures?.length || !task?.taskArn) {
    throw new DeploymentFailure(`ECS started no task: ${describeRunTaskFailures(failures ?? [])}`);
  }
  return task;
}

export interface WatchOptions {
  cluster: string;
  taskArn: string;
  timeoutMs: number;
  lines?: LineSource;
  lastLines: LastLines;
  signal?: AbortSignal;
  clock?: Clock;
}

interface Observation {
  /** Undefined while ECS does not describe the task just started yet. */
  task?: Task;
  linesSeen: number;
}

/**
 * Waits for the task to be STOPPED, printing the container's new log lines on every check. It never waits for
 * RUNNING first: a task whose image cannot be pulled goes from PENDING straight to STOPPED. New lines or a new
 * status make the next check come sooner. A task just started may be MISSING for a short while (ECS is eventually
 * consistent): it is looked for again, for up to NEW_RESOURCE_PATIENCE_MS; once seen, MISSING means it is gone.
 */
export async function waitForStop(ecs: ECSClient, options: WatchOptions): Promise<Task> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  let linesSeen = 0;
  let seen = false;
  let lastStatus: string | undefined;
  let lines = options.lines;
  const readLines = async (signal?: AbortSignal) => {
    let batch: string[] = [];
    try {
      batch = (await lines?.next(signal)) ?? [];
    } catch (error) {
      if (signal?.aborted) throw error;
      // The log is a convenience; the exit code decides. Losing it must not fail (or hide) the migration.
      core.warning(`Stopped streaming the container's log: ${describeError(error)}. The exit code still decides.`);
      lines = undefined;
    }
    core.printUntrusted(batch);
    options.lastLines.push(batch);
    linesSeen += batch.length;
  };
  const observed = await poll<Observation>({
    describe: async (signal) => {
      const { task, failures } = await describeTask(ecs, options.cluster, options.taskArn, signal);
      if (!task) {
        const waited = clock.now() - started;
        const why = describeRunTaskFailures(failures);
        if (seen) throw new DeploymentFailure(`task ${options.taskArn} can no longer be described: ${why}`);
        if (waited >= NEW_RESOURCE_PATIENCE_MS) {
          throw new DeploymentFailure(
            `ECS still did not describe task ${options.taskArn} ${formatDuration(waited)} after starting it: ${why}`,
          );
        }
        core.info(`Task ${taskId(options.taskArn)} is not described yet (${why}); looking again.`);
        return { linesSeen };
      }
      seen = true;
      if (task.lastStatus !== lastStatus) core.info(`Task ${taskId(options.taskArn)} is ${task.lastStatus}.`);
      lastStatus = task.lastStatus;
      await readLines(signal);
      return { task, linesSeen };
    },
    isDone: ({ task }) => task?.lastStatus === 'STOPPED',
    fingerprint: ({ task, linesSeen: shown }) => `${task?.lastStatus}/${shown}`,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    clock,
    minIntervalMs: 2_000,
    maxIntervalMs: 10_000,
    waitingFor: `task ${taskId(options.taskArn)} to stop`,
  });
  // awslogs delivers asynchronously: lines written just before the exit may land after STOPPED is reported.
  await readLines(options.signal);
  return observed.task!;
}

async function describeTask(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  signal?: AbortSignal,
): Promise<{ task?: Task; failures: Failure[] }> {
  const { tasks, failures } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }), {
    abortSignal: signal,
  });
  return { task: tasks?.[0], failures: failures ?? [] };
}

/** StopTask; the reason (≤ 255 characters) shows in the console and in DescribeTasks' stoppedReason. */
export async function stopTask(ecs: ECSClient, cluster: string, taskArn: string, reason: string): Promise<void> {
  await ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason: reason.slice(0, 255) }));
  core.info(`Stopped task ${taskArn}: ${reason}`);
}
