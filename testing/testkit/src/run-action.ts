/**
 * Runs an action's bundled entry points the way the GitHub runner does: `node <main>` as a child process with
 * INPUT_* and GITHUB_* variables and fresh file-command files, then `node <post>` when `post-if` holds, handing
 * over state as STATE_*, exported env and PATH additions. A cancelled workflow is mimicked with the runner's
 * signal sequence: SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that. With SHIPYARD_IAM_CALLS_DIR set, each
 * step's AWS calls are recorded for the IAM policy check (iam-calls.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { inputVariables, postIfHolds, readActionMetadata, type StepConclusion } from './action-metadata';
import { runVariant, stepCallRecorder } from './iam-calls';
import {
  createFileCommandFiles,
  createRunnerDirectories,
  inheritedEnvironment,
  runnerContextVariables,
  type FileCommandFiles,
} from './runner-env';
import { SecretMasker } from './secret-masker';
import { StepLog, type Annotation } from './step-log';
import { parseFileCommand } from './workflow-commands';

export type { Annotation } from './step-log';
export type { StepConclusion } from './action-metadata';

export interface CancelOptions {
  /** Cancel this many milliseconds after main started. */
  ms?: number;
  /** Cancel as soon as a line main prints matches (tested against the unmasked line). */
  whenLogMatches?: RegExp;
  /** Cancel when this settles, e.g. when aws-sim sees a given request (`control.onFault`). */
  when?: Promise<unknown>;
  /** The first signal; the runner sends SIGINT. */
  signal?: 'SIGINT' | 'SIGTERM';
  /** Waits before the harder signals. Defaults are the runner's; shorten them only to test the escalation. */
  sigtermAfterMs?: number;
  sigkillAfterMs?: number;
}

export interface RunActionOptions {
  /** Folder holding action.yml; runs.main and runs.post resolve against it. */
  actionDir: string;
  /** The step's `with:`; defaults from action.yml fill the rest. */
  inputs?: Record<string, string>;
  /** Extra variables, and overrides of the GITHUB_* / RUNNER_* defaults. */
  env?: Record<string, string>;
  /** GITHUB_WORKSPACE and the working directory; a fresh temporary folder by default. */
  workspace?: string;
  /** The webhook payload written to GITHUB_EVENT_PATH. */
  event?: object;
  /** Cancel main as a cancelled workflow would. */
  signalAfter?: CancelOptions;
  /** Per step; on expiry the step is stopped like a cancelled one but concludes as a failure. Default 2 min: a guard
   * against a hung step, not a speed check, so a loaded machine does not fail it. */
  timeoutMs?: number;
  /** The post step's, when it differs from main's. */
  postTimeoutMs?: number;
  /** Told each line main and post print (unmasked) as it arrives: lets a test act on a milestone the action reports,
   * e.g. start a held simulated clock once the action says what it saw. */
  onLine?: (line: string) => void;
  /** Run runs.post when post-if holds (default true). */
  runPost?: boolean;
}

export interface StepRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** What post-if sees: cancelled when the harness signalled the step, failure on a non-zero exit or timeout. */
  conclusion: StepConclusion;
  timedOut: boolean;
  outputs: Record<string, string>;
  state: Record<string, string>;
  /** Variables exported through GITHUB_ENV. */
  env: Record<string, string>;
  /** Folders added through GITHUB_PATH, in the order written. */
  path: string[];
  /** GITHUB_STEP_SUMMARY markdown, masked as the runner masks it. */
  summary: string;
  /** The unmasked summary, only for proving that a value was written at all. */
  rawSummary: string;
  annotations: Annotation[];
  /** Values this step registered with ::add-mask::. */
  masks: string[];
  /** The log as the runner shows it: every mask registered so far in the job replaced by ***. */
  log: string;
  /** The unmasked log, only for proving that a masked value was printed. */
  rawLog: string;
  durationMs: number;
}

export interface ActionRun extends StepRun {
  /** Present when action.yml has a post entry point, runPost is not false and post-if held. */
  post?: StepRun;
}

const RUNNER_SIGTERM_AFTER_MS = 7500;
const RUNNER_SIGKILL_AFTER_MS = 2500;
const DEFAULT_TIMEOUT_MS = 120_000;

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const actionDir = resolve(options.actionDir);
  const metadata = readActionMetadata(actionDir);
  // realpath: on macOS the temp folder is a symlink, and actions compare paths they are given.
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'shipyard-runner-')));
  try {
    const dirs = createRunnerDirectories(
      home,
      options.workspace === undefined ? undefined : resolve(options.workspace),
      options.event ?? {},
    );
    const context = { ...runnerContextVariables(dirs, actionDir), ...options.env };
    const inputs = inputVariables(metadata, options.inputs ?? {}, context);
    const masker = new SecretMasker();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const step = {
      home,
      cwd: dirs.workspace,
      masker,
      timeoutMs,
      onLine: options.onLine,
      calls: { actionDir, variant: runVariant(inputs) },
    };
    const baseEnv = { ...inheritedEnvironment(), ...context, ...inputs };
    const main = await runStep({
      ...step,
      name: 'main',
      script: metadata.main,
      env: baseEnv,
      cancel: options.signalAfter,
    });
    if (options.runPost === false || !metadata.post || !postIfHolds(metadata.postIf, main.conclusion, context))
      return main;
    const stateVariables = Object.fromEntries(
      Object.entries(main.state).map(([name, value]) => [`STATE_${name}`, value]),
    );
    // GITHUB_ENV exports reach later steps, but never override the context variables or the test's own env.
    const postEnv = { ...inheritedEnvironment(), ...main.env, ...context, ...inputs, ...stateVariables };
    // The runner prepends GITHUB_PATH entries for later steps, the most recently added first.
    postEnv.PATH = [...[...main.path].reverse(), baseEnv.PATH].filter(Boolean).join(delimiter);
    const post = await runStep({
      ...step,
      name: 'post',
      script: metadata.post,
      env: postEnv,
      timeoutMs: options.postTimeoutMs ?? timeoutMs,
    });
    return { ...main, post };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

interface StepSpec {
  name: string;
  script: string;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  masker: SecretMasker;
  timeoutMs: number;
  cancel?: CancelOptions;
  /** Whose AWS calls these are, for the IAM check (recorded only when it is on). */
  calls: { actionDir: string; variant: string };
  onLine?: (line: string) => void;
}

async function runStep(spec: StepSpec): Promise<StepRun> {
  const files = createFileCommandFiles(spec.home, spec.name);
  const log = new StepLog(spec.masker);
  const calls = stepCallRecorder(spec.calls.actionDir, spec.calls.variant);
  const started = Date.now();
  const child = spawn(process.execPath, [spec.script], {
    cwd: spec.cwd,
    env: { ...spec.env, ...calls?.env, ...files },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let stoppedBy: 'cancel' | 'timeout' | undefined;
  const timers: NodeJS.Timeout[] = [];
  const stop = (reason: 'cancel' | 'timeout', first: 'SIGINT' | 'SIGTERM') => {
    if (stoppedBy) return;
    stoppedBy = reason;
    child.kill(first);
    const sigtermAfter = spec.cancel?.sigtermAfterMs ?? RUNNER_SIGTERM_AFTER_MS;
    const sigkillAfter = spec.cancel?.sigkillAfterMs ?? RUNNER_SIGKILL_AFTER_MS;
    if (first === 'SIGINT') timers.push(setTimeout(() => child.kill('SIGTERM'), sigtermAfter));
    timers.push(setTimeout(() => child.kill('SIGKILL'), (first === 'SIGINT' ? sigtermAfter : 0) + sigkillAfter));
  };
  const cancelSignal = spec.cancel?.signal ?? 'SIGINT';
  const pattern = spec.cancel?.whenLogMatches;
  const onLine = (line: string) => {
    log.write(line);
    spec.onLine?.(line);
    if (pattern && line.search(pattern) >= 0) stop('cancel', cancelSignal);
  };
  if (spec.cancel?.ms !== undefined) timers.push(setTimeout(() => stop('cancel', cancelSignal), spec.cancel.ms));
  let exited = false;
  const cancelNow = () => {
    if (!exited) stop('cancel', cancelSignal);
  };
  spec.cancel?.when?.then(cancelNow, cancelNow);
  timers.push(setTimeout(() => stop('timeout', 'SIGINT'), spec.timeoutMs));

  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolveExit, reject) => {
    splitLines(child.stdout, onLine);
    splitLines(child.stderr, onLine);
    child.on('error', reject);
    child.on('close', (code, sig) => resolveExit([code, sig]));
  }).finally(() => {
    exited = true;
    timers.forEach(clearTimeout);
  });
  await calls?.collect(spec.env);

  return {
    exitCode,
    signal,
    conclusion: stoppedBy === 'cancel' ? 'cancelled' : exitCode === 0 && !stoppedBy ? 'success' : 'failure',
    timedOut: stoppedBy === 'timeout',
    ...readFileCommands(files, spec.masker),
    annotations: log.annotations,
    masks: log.masks,
    log: log.log,
    rawLog: log.rawLog,
    durationMs: Date.now() - started,
  };
}

/** Feeds complete lines to onLine; a last line without a line break is flushed when the stream ends. */
function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) onLine(part.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (pending !== '') onLine(pending.replace(/\r$/, ''));
  });
}

function readFileCommands(files: FileCommandFiles, masker: SecretMasker) {
  const read = (variable: keyof FileCommandFiles) => readFileSync(files[variable], 'utf8');
  return {
    outputs: parseFileCommand(read('GITHUB_OUTPUT'), 'GITHUB_OUTPUT'),
    state: parseFileCommand(read('GITHUB_STATE'), 'GITHUB_STATE'),
    env: parseFileCommand(read('GITHUB_ENV'), 'GITHUB_ENV'),
    path: read('GITHUB_PATH')
      .split(/\r?\n/)
      .filter((line) => line.trim() !== ''),
    summary: masker.mask(read('GITHUB_STEP_SUMMARY')),
    rawSummary: read('GITHUB_STEP_SUMMARY'),
  };
}
