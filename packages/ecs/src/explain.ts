import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTasksCommand,
  ListTasksCommand,
  type ECSClient,
  type ServiceEvent,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { taskId } from './arns';
import { describeError } from '@shipyard/platform/errors';
import { readPages } from '@shipyard/platform/pages';
import { awslogsLocation, describeLocation, tailLogLines, type LogLocation } from './task-logs';

// Why a deployment failed, on one screen: the deployment's status reason, the stopped tasks of the new revision
// (stop code, reason, container exit codes), the last service events and the last log lines of each failed
// container. Loads the ECS SDK: import lazily, after the inputs are valid.

export const LOG_LINES_PER_CONTAINER = 30;
const STOPPED_TASKS_SHOWN = 3;
// ECS keeps a service's stopped tasks for about an hour and lists them 100 at a time in no documented order, so the
// failed revision's newest ones can be on any page of a crash loop's many: all are read, up to this many.
export const STOPPED_TASKS_READ = 500;
const DESCRIBE_TASKS_MAX = 100;
const EVENTS_SHOWN = 8;

export interface StoppedContainer {
  name: string;
  exitCode?: number;
  reason?: string;
}

export interface StoppedTaskFacts {
  taskArn: string;
  stopCode?: string;
  stoppedReason?: string;
  containers: StoppedContainer[];
}

export interface ContainerLogFacts {
  container: string;
  taskArn: string;
  location?: LogLocation;
  lines: string[];
  /** Why no lines could be read (no awslogs, an AWS error). */
  unavailable?: string;
}

export interface FailureFacts {
  service: string;
  /** The deployment's status or rollout reason, or what Shipyard saw (a timeout, a failed verification). */
  reason: string;
  taskDefinitionArn?: string;
  stoppedTasks: StoppedTaskFacts[];
  events: { createdAt?: Date; message: string }[];
  logs: ContainerLogFacts[];
  /** Problems met while gathering (e.g. AccessDenied on DescribeTasks); shown, never thrown. */
  gaps: string[];
}

/** A container failed when it exited non-zero, or stopped with a reason and no exit code (it never ran). */
export function failedContainers(task: StoppedTaskFacts): StoppedContainer[] {
  return task.containers.filter((c) => (c.exitCode !== undefined ? c.exitCode !== 0 : c.reason !== undefined));
}

export function toStoppedTaskFacts(task: Task): StoppedTaskFacts {
  return {
    taskArn: task.taskArn ?? '',
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    containers: (task.containers ?? []).map((c) => ({ name: c.name ?? '', exitCode: c.exitCode, reason: c.reason })),
  };
}

export interface GatherOptions {
  ecs: ECSClient;
  logs?: CloudWatchLogsClient;
  cluster: string;
  service: string;
  reason: string;
  /** The revision that failed; its tasks and awslogs settings are what gets explained. */
  taskDefinition?: TaskDefinition;
  /** Service events as last described (newest first, as ECS returns them); the newest few are shown. */
  events?: ServiceEvent[];
  /** Only events and tasks from this moment on (the deployment's start). */
  since?: Date;
}

/** Collects the facts; every AWS problem becomes a gap in the explanation rather than an error. */
export async function gatherFailureFacts(options: GatherOptions): Promise<FailureFacts> {
  const { ecs, cluster, service, taskDefinition, since } = options;
  const facts: FailureFacts = {
    service,
    reason: options.reason,
    taskDefinitionArn: taskDefinition?.taskDefinitionArn,
    stoppedTasks: [],
    events: (options.events ?? [])
      .filter((e) => !since || !e.createdAt || e.createdAt >= since)
      .slice(0, EVENTS_SHOWN)
      .reverse()
      .map((e) => ({ createdAt: e.createdAt, message: e.message ?? '' })),
    logs: [],
    gaps: [],
  };
  try {
    const { tasks, unread } = await readStoppedTasks(ecs, cluster, service);
    if (unread)
      facts.gaps.push(
        `more than ${STOPPED_TASKS_READ} stopped tasks: only the first ${STOPPED_TASKS_READ} listed were read`,
      );
    facts.stoppedTasks = tasks
      .filter((t) => !taskDefinition?.taskDefinitionArn || t.taskDefinitionArn === taskDefinition.taskDefinitionArn)
      .filter((t) => !since || !t.stoppedAt || t.stoppedAt >= since)
      .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
      .slice(0, STOPPED_TASKS_SHOWN)
      .map(toStoppedTaskFacts);
  } catch (error) {
    facts.gaps.push(`stopped tasks could not be read: ${describeError(error)}`);
  }
  if (taskDefinition) facts.logs = await readFailedContainerLogs(options, facts.stoppedTasks, taskDefinition);
  return facts;
}

/** The service's stopped tasks, described; unread when ECS listed more than STOPPED_TASKS_READ. */
async function readStoppedTasks(ecs: ECSClient, cluster: string, service: string) {
  const { items: arns, unread } = await readPages(async (nextToken) => {
    const page = await ecs.send(
      new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', nextToken }),
    );
    return { items: page.taskArns, next: page.nextToken };
  }, STOPPED_TASKS_READ);
  const batches: string[][] = [];
  for (let start = 0; start < arns.length; start += DESCRIBE_TASKS_MAX)
    batches.push(arns.slice(start, start + DESCRIBE_TASKS_MAX));
  const described = await Promise.all(batches.map((tasks) => ecs.send(new DescribeTasksCommand({ cluster, tasks }))));
  return { tasks: described.flatMap((d) => d.tasks ?? []), unread };
}

/** The last lines of each failed container, from the newest stopped task it failed in. */
async function readFailedContainerLogs(
  options: GatherOptions,
  tasks: StoppedTaskFacts[],
  taskDefinition: TaskDefinition,
): Promise<ContainerLogFacts[]> {
  const newestFailure = new Map<string, string>();
  for (const task of tasks) {
    for (const container of failedContainers(task)) {
      if (!newestFailure.has(container.name)) newestFailure.set(container.name, task.taskArn);
    }
  }
  return Promise.all(
    [...newestFailure].map(async ([container, taskArn]): Promise<ContainerLogFacts> => {
      const location = awslogsLocation(taskDefinition, container, taskArn);
      if (!location)
        return {
          container,
          taskArn,
          lines: [],
          unavailable: 'the container does not log with awslogs and a stream prefix',
        };
      if (!options.logs) return { container, taskArn, location, lines: [], unavailable: 'no CloudWatch Logs client' };
      try {
        return {
          container,
          taskArn,
          location,
          lines: await tailLogLines(options.logs, location, LOG_LINES_PER_CONTAINER),
        };
      } catch (error) {
        return { container, taskArn, location, lines: [], unavailable: describeError(error) };
      }
    }),
  );
}

function clock(date: Date | undefined): string {
  return date ? date.toISOString().slice(11, 19) : '--:--:--';
}

/** The explanation as log lines (also used, fenced, in the job summary). */
export function formatExplanation(facts: FailureFacts): string[] {
  const lines = [`Why "${facts.service}" failed: ${facts.reason}`];
  if (facts.taskDefinitionArn) lines.push(`  Revision: ${facts.taskDefinitionArn}`);
  if (facts.stoppedTasks.length) {
    lines.push('  Stopped tasks of this revision (newest first):');
    for (const task of facts.stoppedTasks) {
      const code = task.stopCode ? `${task.stopCode}: ` : '';
      lines.push(`    task ${taskId(task.taskArn)} — ${code}${task.stoppedReason ?? 'no reason given'}`);
      for (const container of task.containers) {
        const exit = container.exitCode !== undefined ? `exit code ${container.exitCode}` : 'no exit code';
        lines.push(`      container "${container.name}": ${exit}${container.reason ? ` (${container.reason})` : ''}`);
      }
    }
  } else {
    lines.push('  No stopped tasks of this revision.');
  }
  if (facts.events.length) {
    lines.push('  Last service events (oldest first):');
    for (const event of facts.events) lines.push(`    ${clock(event.createdAt)} ${event.message}`);
  }
  for (const log of facts.logs) {
    const where = log.location ? `, ${describeLocation(log.location)}` : '';
    const task = `task ${taskId(log.taskArn)}${where}`;
    const title = `  Last ${LOG_LINES_PER_CONTAINER} log lines of container "${log.container}" (${task}):`;
    if (log.unavailable) lines.push(`  No log lines for container "${log.container}": ${log.unavailable}.`);
    else if (log.lines.length === 0) lines.push(`${title}\n    (none: the container wrote nothing or never started)`);
    else lines.push(title, ...log.lines.map((line) => `    ${line}`));
  }
  for (const gap of facts.gaps) lines.push(`  (${gap})`);
  return lines;
}
