import type { Failure, Task } from '@aws-sdk/client-ecs';

/** How a stopped migration task ended, judged by the migration container alone. */
export type Outcome =
  | { status: 'succeeded'; exitCode: 0 }
  | { status: 'failed'; exitCode: number; reason: string }
  /** The migration container never exited on its own (image pull failure, task failed to start, …). */
  | { status: 'not-run'; reason: string };

/**
 * Exit code 0 of the migration container is success, whatever a sidecar did; a non-zero exit code is failure; no
 * exit code means the container never ran to completion, and the task's stop code and reason say why. The container
 * is found by name: `containers[0]` may be a sidecar.
 */
export function judgeTask(task: Task, containerName: string): Outcome {
  const container = task.containers?.find((candidate) => candidate.name === containerName);
  const stop = stopDescription(task);
  if (container?.exitCode === 0) return { status: 'succeeded', exitCode: 0 };
  if (container?.exitCode !== undefined && container.exitCode !== null) {
    const details = [container.reason, stop].filter(Boolean).join('; ');
    const reason = `container "${containerName}" exited with code ${container.exitCode}${details ? ` (${details})` : ''}`;
    return { status: 'failed', exitCode: container.exitCode, reason };
  }
  const details = [container?.reason, stop].filter(Boolean).join('; ') || 'no reason given';
  const subject = container ? `container "${containerName}"` : `the task has no container "${containerName}" and`;
  return { status: 'not-run', reason: `${subject} stopped without an exit code: ${details}` };
}

/** `TaskFailedToStart: CannotPullContainerError: …`, or undefined for a task not stopped yet. */
export function stopDescription(task: Task): string | undefined {
  const parts = [task.stopCode, task.stoppedReason].filter(Boolean);
  return parts.length ? parts.join(': ') : undefined;
}

/** RunTask's `failures[]` (returned with HTTP 200) as one sentence per failure. */
export function describeRunTaskFailures(failures: Failure[]): string {
  return failures
    .map((failure) => {
      const what = [failure.reason, failure.detail].filter(Boolean).join(': ') || 'unknown reason';
      return failure.arn ? `${what} (${failure.arn})` : what;
    })
    .join('; ');
}
