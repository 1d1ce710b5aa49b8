import {
  DescribeTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';
import * as core from '@shipyard/shared/core';
import { taskId } from '@shipyard/shared/ecs-names';
import { DeploymentFailure, describeError } from '@shipyard/shared/errors';
import { poll, type Clock } from '@shipyard/shared/poll';
import { describeRunTaskFailures } from './outcome';
import type { LastLines } from './output';

/** Where the container's log lines come from (a LogFollower of @shipyard/shared/task-logs). */
export interface LineSource {
  next(signal?: AbortSignal): Promise<string[]>;
}

/** RunTask; `failures[]` arrive with HTTP 200 and mean nothing was started. */
export async function startTask(ecs: ECSClient, input: RunTaskCommandInput): Promise<Task> {
  const { tasks, failures } = await ecs.send(new RunTaskCommand(input));
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
  task: Task;
  linesSeen: number;
}

/**
 * Waits for the task to be STOPPED, printing the container's new log lines on every check. It never waits for
 * RUNNING first: a task whose image cannot be pulled goes from PENDING straight to STOPPED. New lines or a new
 * status make the next check come sooner.
 */
export async function waitForStop(ecs: ECSClient, options: WatchOptions): Promise<Task> {
  let linesSeen = 0;
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
      const task = await describeTask(ecs, options.cluster, options.taskArn, signal);
      if (task.lastStatus !== lastStatus) core.info(`Task ${taskId(options.taskArn)} is ${task.lastStatus}.`);
      lastStatus = task.lastStatus;
      await readLines(signal);
      return { task, linesSeen };
    },
    isDone: ({ task }) => task.lastStatus === 'STOPPED',
    fingerprint: ({ task, linesSeen: seen }) => `${task.lastStatus}/${seen}`,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    clock: options.clock,
    minIntervalMs: 2_000,
    maxIntervalMs: 10_000,
    waitingFor: `task ${taskId(options.taskArn)} to stop`,
  });
  // awslogs delivers asynchronously: lines written just before the exit may land after STOPPED is reported.
  await readLines(options.signal);
  return observed.task;
}

async function describeTask(ecs: ECSClient, cluster: string, taskArn: string, signal?: AbortSignal): Promise<Task> {
  const { tasks, failures } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }), {
    abortSignal: signal,
  });
  const task = tasks?.[0];
  if (!task) {
    throw new DeploymentFailure(
      `task ${taskArn} can no longer be described: ${describeRunTaskFailures(failures ?? [])}`,
    );
  }
  return task;
}

/** StopTask; the reason (≤ 255 characters) shows in the console and in DescribeTasks' stoppedReason. */
export async function stopTask(ecs: ECSClient, cluster: string, taskArn: string, reason: string): Promise<void> {
  await ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason: reason.slice(0, 255) }));
  core.info(`Stopped task ${taskArn}: ${reason}`);
}
