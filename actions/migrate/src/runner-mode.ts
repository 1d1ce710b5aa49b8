import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as core from '@shipyard/platform/core';
import { resolveRegion } from '@shipyard/platform/aws';
import { formatDuration } from '@shipyard/platform/duration';
import { DeploymentFailure } from '@shipyard/platform/errors';
import { group } from '@shipyard/platform/log';
import { quote } from '@shipyard/platform/inputs';
import { requireInWorkspace } from '@shipyard/platform/workspace-path';
import { Input } from './constants';
import type { ActionInputs, RunnerInputs } from './inputs';
import { LastLines, LineSplitter } from './output';
import { formatSeconds, type ModeContext } from './summary';

/** How long a stopped command gets between SIGTERM and SIGKILL, like `docker stop`. */
const KILL_GRACE_MS = 10_000;

export interface CommandSpec {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  signal?: AbortSignal;
  onLine: (line: string) => void;
  killGraceMs?: number;
  /** The first signal of a stop (default SIGTERM); SIGKILL follows after the grace. */
  stopSignal?: NodeJS.Signals;
}

export interface CommandRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  /** Set when the command was stopped rather than ending on its own. */
  stoppedFor?: 'timeout' | 'cancel';
}

/**
 * Runs argv directly (no shell unless argv starts one) in its own process group, so a timeout or a cancelled run
 * stops the whole tree the command started (npx → node → psql …), not just its first process.
 */
export function runCommand(spec: CommandSpec): Promise<CommandRun> {
  const started = Date.now();
  const child = spawn(spec.argv[0], spec.argv.slice(1), {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  let stoppedFor: CommandRun['stoppedFor'];
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (why: 'timeout' | 'cancel') => {
    if (stoppedFor) return;
    stoppedFor = why;
    killTree(child, spec.stopSignal ?? 'SIGTERM');
    killTimer = setTimeout(() => killTree(child, 'SIGKILL'), spec.killGraceMs ?? KILL_GRACE_MS);
  };
  const timeout = setTimeout(() => stop('timeout'), spec.timeoutMs);
  const onAbort = () => stop('cancel');
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  const splitters = [child.stdout, child.stderr].map((stream) => {
    const splitter = new LineSplitter(spec.onLine);
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => splitter.write(chunk));
    return splitter;
  });
  if (spec.signal?.aborted) stop('cancel');

  return new Promise<CommandRun>((resolveRun, reject) => {
    const cleanUp = () => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      spec.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      cleanUp();
      reject(new DeploymentFailure(`could not start ${quote(spec.argv[0])}: ${error.message}`));
    });
    child.on('close', (exitCode, signal) => {
      cleanUp();
      splitters.forEach((splitter) => splitter.flush());
      resolveRun({ exitCode, signal, durationMs: Date.now() - started, stoppedFor });
    });
  });
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(child.pid), '/t', '/f']);
    return;
  }
  try {
    // The negative pid addresses the process group the detached child leads.
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * The working directory: a directory inside the checkout (links followed), the checkout itself by default. A
 * missing one, or one outside, is a config error found before any AWS call.
 */
export function resolveWorkingDirectory(input: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return requireInWorkspace(Input.WorkingDirectory, input ?? '.', 'directory', env);
}

/** The command's environment: the step's own, without this action's inputs, plus environment-variables. */
export function commandEnvironment(
  environment: Record<string, string>,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  const inherited = Object.fromEntries(Object.entries(env).filter(([name]) => !/^(INPUT|STATE)_/.test(name)));
  return { ...inherited, ...environment };
}

/** The snapshot the inputs ask for, taken and waited for (the SDK is loaded only then). */
export async function snapshotFirst(inputs: ActionInputs, context: ModeContext): Promise<void> {
  const snapshot = inputs.snapshot;
  if (!snapshot) return;
  const region = resolveRegion(inputs.region);
  const { snapshotBeforeMigrating } = await import('./snapshot');
  await group(`Snapshot ${snapshot.db}`, () =>
    snapshotBeforeMigrating(snapshot, context.report, { region, signal: context.signal }),
  );
}

export async function migrateOnRunner(inputs: RunnerInputs, context: ModeContext): Promise<void> {
  const { report, signal } = context;
  const cwd = resolveWorkingDirectory(inputs.workingDirectory);
  await snapshotFirst(inputs, context);
  const lastLines = new LastLines(inputs.logLines);
  // Not in a group: the command's output is what the reader of this log came for.
  core.info(`Running ${report.command} in ${cwd} (timeout ${formatDuration(inputs.timeoutMs)}).`);
  const run = await runCommand({
    argv: inputs.argv,
    cwd,
    env: commandEnvironment(inputs.environment),
    timeoutMs: inputs.timeoutMs,
    signal,
    onLine: (line) => {
      core.info(line);
      lastLines.push([line]);
    },
  });
  report.lastLines = lastLines.lines;
  report.durationMs = run.durationMs;
  report.exitCode = run.exitCode ?? undefined;
  if (run.stoppedFor === 'timeout') {
    throw new DeploymentFailure(
      `the command did not finish within ${formatDuration(inputs.timeoutMs)}; it and its child processes were stopped`,
    );
  }
  if (run.stoppedFor === 'cancel') throw new DeploymentFailure('the run was cancelled; the command was stopped');
  if (run.exitCode !== 0) {
    throw new DeploymentFailure(
      run.exitCode === null
        ? `the command was killed by ${run.signal}`
        : `the command exited with code ${run.exitCode}`,
    );
  }
  core.info(`The command exited with code 0 after ${formatSeconds(run.durationMs)}.`);
}
