import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient, type Task } from '@aws-sdk/client-ecs';
import * as core from '@shipyard/platform/core';
import { createClient, resolveRegion } from '@shipyard/platform/aws';
import { formatDuration } from '@shipyard/platform/duration';
import { taskId } from '@shipyard/ecs/names';
import { DeploymentFailure, FailureWithOutcome } from '@shipyard/platform/errors';
import { group } from '@shipyard/platform/log';
import { PollCancelledError, PollTimeoutError, retryPassing } from '@shipyard/platform/poll';
import { LogFollower, awslogsLocation } from '@shipyard/ecs/task-logs';
import { ACTION, State } from './constants';
import { guardConcurrency } from './guard';
import type { EcsInputs } from './inputs';
import { judgeTask, stopDescription } from './outcome';
import { LastLines } from './output';
import { prepare, type Prepared } from './prepare';
import { buildRunTaskInput, taskTags } from './run-task';
import { snapshotBeforeMigrating } from './snapshot';
import { formatSeconds, setOutputs, type ModeContext, type Report } from './summary';
import { startTask, stopTask, waitForStop } from './watch';

// Loads the ECS and CloudWatch Logs SDKs: main imports this module only once the inputs are valid.

/** How long stopping a task that can no longer be followed keeps trying through passing faults. */
const STOP_PATIENCE_MS = 60_000;

/** Checks, guard, snapshot, RunTask, then follows the task to STOPPED and judges the migration container. */
export async function migrateOnEcs(inputs: EcsInputs, context: ModeContext): Promise<void> {
  const { report, signal } = context;
  const region = resolveRegion(inputs.region);
  // Calls stop when the run is cancelled; the post step (its own client) stops a task that was started.
  const ecs = createClient(ECSClient, { action: ACTION, region, signal });
  let prepared: Prepared;
  let task: Task;
  try {
    prepared = await group('Check the task definition', () => prepare(ecs, inputs, region));
    report.command = prepared.command;
    await group('Check for another migration', () => guardConcurrency(ecs, inputs, { signal }));
    const snapshot = inputs.snapshot;
    if (snapshot) {
      await group(`Snapshot ${snapshot.db}`, () => snapshotBeforeMigrating(snapshot, report, { region, signal }));
    }
    task = await group('Start the migration task', () => start(ecs, inputs, prepared, context, region));
  } catch (error) {
    throw new FailureWithOutcome(error, 'the migration did not run');
  }
  const startedAt = Date.now();
  const taskArn = task.taskArn as string;
  const follower = followLog(prepared, inputs, taskArn, region, report);
  const lastLines = new LastLines(inputs.logLines);

  // Not in a group: the migration's own output is what the reader of this log came for.
  core.info(`Following task ${taskId(taskArn)} until it stops (timeout ${formatDuration(inputs.timeoutMs)}).`);
  let stopped: Task;
  try {
    stopped = await waitForStop(ecs, {
      cluster: inputs.cluster,
      taskArn,
      timeoutMs: inputs.timeoutMs,
      lines: follower,
      lastLines,
      signal,
    });
  } catch (error) {
    report.lastLines = lastLines.lines;
    report.durationMs = Date.now() - startedAt;
    if (error instanceof PollTimeoutError) {
      const reason = `shipyard migrate: no exit within the timeout of ${formatDuration(inputs.timeoutMs)}`;
      await stopTask(ecs, inputs.cluster, taskArn, reason);
      core.saveState(State.TaskSettled, 'true');
      showLastLines(report.lastLines, inputs.container);
      throw new DeploymentFailure(
        `the migration did not finish within ${formatDuration(inputs.timeoutMs)}; task ${taskArn} was stopped`,
      );
    }
    if (error instanceof PollCancelledError)
      throw new FailureWithOutcome(error, `the post step stops the migration task ${taskArn}`);
    // The task can no longer be followed: it is stopped rather than left to run unwatched.
    await retryPassing(
      () => stopTask(ecs, inputs.cluster, taskArn, 'shipyard migrate: the task could not be followed'),
      {
        timeoutMs: STOP_PATIENCE_MS,
        signal,
      },
    );
    core.saveState(State.TaskSettled, 'true');
    showLastLines(report.lastLines, inputs.container);
    throw new FailureWithOutcome(
      error,
      `the migration task ${taskArn} was stopped; it may have run in part (its log is above)`,
    );
  }
  core.saveState(State.TaskSettled, 'true');
  judge(stopped, inputs, report, lastLines, Date.now() - startedAt);
}

async function start(
  ecs: ECSClient,
  inputs: EcsInputs,
  prepared: Prepared,
  context: ModeContext,
  region: string,
): Promise<Task> {
  const { report, run } = context;
  const definition = `${prepared.taskDefinition.family}:${prepared.taskDefinition.revision}`;
  core.info(`Running ${prepared.command} in container "${inputs.container}" of ${definition} on ${inputs.cluster}.`);
  // Saved before RunTask goes out: if its answer is lost or the run is cancelled, the post step finds the task.
  core.saveState(State.Cluster, inputs.cluster);
  core.saveState(State.Region, region);
  core.saveState(State.StartedBy, inputs.startedBy);
  const task = await startTask(ecs, buildRunTaskInput({ inputs, placement: prepared.placement, tags: taskTags(run) }));
  const taskArn = task.taskArn as string;
  core.saveState(State.TaskArn, taskArn);
  report.taskArn = taskArn;
  report.taskUrl =
    `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${encodeURIComponent(inputs.cluster)}` +
    `/tasks/${taskId(taskArn)}/configuration?region=${region}`;
  core.info(`Task: ${taskArn}`);
  core.info(`Console: ${report.taskUrl}`);
  return task;
}

/** Starts following the migration container's awslogs stream, or says why its output cannot be shown. */
function followLog(
  prepared: Prepared,
  inputs: EcsInputs,
  taskArn: string,
  region: string,
  report: Report,
): LogFollower | undefined {
  const location = awslogsLocation(prepared.taskDefinition, inputs.container, taskArn);
  if (!location) {
    core.warning(
      `Container "${inputs.container}" does not log through awslogs with a stream prefix, so its output cannot be ` +
        'shown here; only its exit code is judged.',
    );
    return undefined;
  }
  report.logGroup = location.group;
  report.logStream = location.stream;
  // Printed and set as outputs at once: a stopped task vanishes from the ECS API after about an hour.
  core.info(`Log stream: ${location.stream} in log group ${location.group}`);
  setOutputs(report);
  const logs = createClient(CloudWatchLogsClient, { action: ACTION, region: location.region ?? region });
  return new LogFollower(logs, location);
}

function judge(stopped: Task, inputs: EcsInputs, report: Report, lastLines: LastLines, measuredMs: number): void {
  const outcome = judgeTask(stopped, inputs.container);
  report.lastLines = lastLines.lines;
  report.durationMs =
    stopped.createdAt && stopped.stoppedAt ? stopped.stoppedAt.getTime() - stopped.createdAt.getTime() : measuredMs;
  report.exitCode = outcome.status === 'not-run' ? undefined : outcome.exitCode;
  core.info(`Task ${taskId(report.taskArn ?? '')} stopped: ${stopDescription(stopped) ?? 'no stop reason given'}.`);
  if (outcome.status === 'succeeded') {
    core.info(`Container "${inputs.container}" exited with code 0 after ${formatSeconds(report.durationMs)}.`);
    return;
  }
  showLastLines(report.lastLines, inputs.container);
  throw new DeploymentFailure(outcome.reason);
}

/** Repeats the end of the log next to the failure, where the reader looks first. */
function showLastLines(lines: string[], container: string): void {
  if (lines.length === 0) return;
  core.info(`Last ${lines.length} log lines of container "${container}":`);
  core.printUntrusted(lines);
}
