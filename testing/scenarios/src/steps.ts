import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { runAction, type ActionRun, type Annotation } from '@shipyard/testkit/run-action';
import { createFileCommandFiles, inheritedEnvironment } from '@shipyard/testkit/runner-env';
import type { SecretMasker } from '@shipyard/testkit/secret-masker';
import { StepLog } from '@shipyard/testkit/step-log';
import { parseFileCommand } from '@shipyard/testkit/workflow-commands';
import type { GithubContext, RunnerHost, StepInfo, StepSpec } from './model';

// Runs one step the way the runner would: our actions through the harness (bundled dist), `run:` scripts with
// bash, and the few third-party actions the workflows use emulated for a machine without GitHub, Docker or AWS.

export interface JobContext {
  host: RunnerHost;
  github: GithubContext;
  /** GITHUB_JOB: the job's id in its own workflow. */
  jobId: string;
  info: Omit<StepInfo, 'step' | 'name'>;
  workspace: string;
  temp: string;
  home: string;
  /** Workflow and job env plus what earlier steps exported through GITHUB_ENV. */
  env: Record<string, string>;
  /** GITHUB_PATH additions, oldest first. */
  path: string[];
  masker: SecretMasker;
  /** The repository and commit of the workflow file the job belongs to (the `job.workflow_*` context). */
  workflowRepository: string;
}

export interface StepOutcome {
  result: 'success' | 'failure';
  outputs: Record<string, string>;
  summary: string;
  log: string;
  annotations: Annotation[];
  note?: string;
  run?: ActionRun;
  exportedEnv: Record<string, string>;
  path: string[];
}

const SHIPYARD_REFERENCE = /^[^/\s]+\/shipyard\/(.+)@[^@\s]+$/;

function outcome(result: StepOutcome['result'], fields: Partial<StepOutcome> = {}): StepOutcome {
  return { result, outputs: {}, summary: '', log: '', annotations: [], exportedEnv: {}, path: [], ...fields };
}

function failed(error: unknown): StepOutcome {
  const message = error instanceof Error ? error.message : String(error);
  return outcome('failure', { log: message, annotations: [{ level: 'error', message, properties: {} }] });
}

function githubVariables(ctx: JobContext, action: string): Record<string, string> {
  const { github } = ctx;
  return {
    GITHUB_REPOSITORY: github.repository,
    GITHUB_REPOSITORY_OWNER: github.repository.split('/')[0],
    GITHUB_SHA: github.sha,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: github.ref_name,
    GITHUB_EVENT_NAME: github.event_name,
    GITHUB_ACTOR: github.actor,
    GITHUB_RUN_ID: github.run_id,
    GITHUB_RUN_ATTEMPT: github.run_attempt,
    GITHUB_WORKFLOW: github.workflow,
    GITHUB_SERVER_URL: github.server_url,
    GITHUB_API_URL: github.api_url,
    GITHUB_JOB: ctx.jobId,
    GITHUB_ACTION: action,
    GITHUB_WORKSPACE: ctx.workspace,
    RUNNER_TEMP: ctx.temp,
  };
}

function stepPath(ctx: JobContext): string {
  return [...[...ctx.path].reverse(), ctx.host.env.PATH ?? process.env.PATH ?? ''].join(delimiter);
}

/** Where a `uses:` of one of our actions points: `./actions/x` in the workspace, or `<owner>/shipyard/actions/x@ref`. */
function ourActionDir(ctx: JobContext, uses: string): string | undefined {
  if (uses.startsWith('./')) return resolve(ctx.workspace, uses);
  const remote = SHIPYARD_REFERENCE.exec(uses);
  return remote?.[1].startsWith('actions/') ? join(ctx.host.shipyardRoot, remote[1]) : undefined;
}

async function runOurAction(
  ctx: JobContext,
  actionDir: string,
  inputs: Record<string, string>,
  stepEnv: Record<string, string>,
  action: string,
): Promise<StepOutcome> {
  if (!existsSync(join(actionDir, 'action.yml'))) {
    return failed(`Can't find 'action.yml' under '${actionDir}'. Did you forget to run actions/checkout?`);
  }
  let run: ActionRun;
  try {
    run = await runAction({
      actionDir,
      inputs,
      workspace: ctx.workspace,
      env: { ...ctx.host.env, ...githubVariables(ctx, action), ...ctx.env, ...stepEnv, PATH: stepPath(ctx) },
      // A guard against a hung step, not a speed check: the sim's clock runs faster than the actions' real-time
      // watch, so a busy machine must not turn a slow step into a cancelled one.
      timeoutMs: ctx.host.stepTimeoutMs ?? 300_000,
      onLine: ctx.host.onActionLine && ((line) => ctx.host.onActionLine?.(basename(actionDir), line)),
    });
  } catch (error) {
    // The harness refuses what the runner would only warn about (an input action.yml does not declare): a bug.
    return failed(error);
  }
  const post = run.post;
  const broken = run.conclusion !== 'success' || (post !== undefined && post.conclusion !== 'success');
  return outcome(broken ? 'failure' : 'success', {
    outputs: run.outputs,
    summary: [run.summary, post?.summary ?? ''].filter(Boolean).join('\n'),
    log: [run.log, post ? `Post job cleanup.\n${post.log}` : ''].filter(Boolean).join('\n'),
    annotations: [...run.annotations, ...(post?.annotations ?? [])],
    run,
    exportedEnv: run.env,
    path: run.path,
  });
}

function linkInto(target: string, source: string): void {
  mkdirSync(dirname(target), { recursive: true });
  if (!existsSync(target)) symlinkSync(source, target);
}

/** actions/checkout: Shipyard itself (sparse, linked from this repository) or the caller's repository (copied). */
function checkout(ctx: JobContext, inputs: Record<string, string>): StepOutcome {
  const into = resolve(ctx.workspace, inputs.path ?? '');
  const repository = inputs.repository ?? '';
  if (repository === '' || repository === ctx.github.repository) {
    cpSync(ctx.host.repository, into, { recursive: true });
    return outcome('success', { note: `checked out ${ctx.github.repository} into ${inputs.path || '.'}` });
  }
  if (repository !== ctx.workflowRepository) throw new Error(`checkout of ${repository}: only Shipyard is available`);
  const sparse = (inputs['sparse-checkout'] ?? '').split('\n').filter(Boolean);
  for (const path of sparse.length ? sparse : ['actions', '.github']) {
    linkInto(join(into, path), join(ctx.host.shipyardRoot, path));
  }
  return outcome('success', { note: `Shipyard at ${inputs.ref ?? 'HEAD'} (${sparse.join(', ') || 'all'})` });
}

/** As upload-artifact stores one path: a file under its own name, a folder's contents at the artifact's root. */
function copyInto(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  if (statSync(source).isDirectory()) cpSync(source, target, { recursive: true });
  else cpSync(source, join(target, basename(source)));
}

function uploadArtifact(ctx: JobContext, inputs: Record<string, string>): StepOutcome {
  const source = resolve(ctx.workspace, inputs.path ?? '');
  if (!existsSync(source)) {
    if (inputs['if-no-files-found'] === 'error') throw new Error(`No files were found with the path: ${inputs.path}`);
    return outcome('success', { note: 'no files to upload' });
  }
  copyInto(source, join(ctx.host.artifacts, inputs.name ?? 'artifact'));
  return outcome('success', { note: `uploaded artifact ${inputs.name}` });
}

function downloadArtifact(ctx: JobContext, inputs: Record<string, string>): StepOutcome {
  const pattern = new RegExp(
    `^${(inputs.pattern || inputs.name || '*').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
  );
  const target = resolve(ctx.workspace, inputs.path ?? '');
  const names = existsSync(ctx.host.artifacts) ? readdirSync(ctx.host.artifacts).filter((n) => pattern.test(n)) : [];
  for (const name of names) {
    // One artifact by name lands in `path` itself; several (a pattern) each in a folder of their name unless merged.
    const into = inputs.name || inputs['merge-multiple'] === 'true' ? target : join(target, name);
    mkdirSync(into, { recursive: true });
    cpSync(join(ctx.host.artifacts, name), into, { recursive: true });
  }
  return outcome('success', { note: `downloaded ${names.length} artifact(s)` });
}

/** The third-party actions the workflows use, done the way this machine can. */
function emulate(ctx: JobContext, uses: string, inputs: Record<string, string>): StepOutcome | undefined {
  const name = uses.split('@')[0];
  switch (name) {
    case 'actions/checkout':
      return checkout(ctx, inputs);
    case 'actions/setup-node':
      return outcome('success', { note: `node ${process.version} (the runner's own)` });
    case 'actions/setup-python':
      return outcome('success', { note: "python: the runner's own" });
    case 'docker/setup-buildx-action':
      return outcome('success', { note: 'docker shim on PATH (no Docker engine here)', outputs: { name: 'builder' } });
    case 'aws-actions/configure-aws-credentials': {
      const region = inputs['aws-region'] ?? '';
      const exportedEnv = { AWS_REGION: region, AWS_DEFAULT_REGION: region };
      return outcome('success', { note: `role ${inputs['role-to-assume'] || '(none)'} in ${region}`, exportedEnv });
    }
    case 'actions/upload-artifact':
      return uploadArtifact(ctx, inputs);
    case 'actions/download-artifact':
      return downloadArtifact(ctx, inputs);
    default:
      return undefined;
  }
}

async function runScript(
  ctx: JobContext,
  step: StepSpec,
  script: string,
  stepEnv: Record<string, string>,
  index: number,
) {
  const files = createFileCommandFiles(ctx.home, `step${index}`);
  const file = join(ctx.temp, `step${index}.sh`);
  writeFileSync(file, script);
  const shell = step.shell === 'sh' ? ['sh', '-e', file] : ['bash', '--noprofile', '--norc', '-eo', 'pipefail', file];
  const log = new StepLog(ctx.masker);
  const env = {
    ...inheritedEnvironment(),
    ...ctx.host.env,
    ...githubVariables(ctx, step.id ?? `__run_${index}`),
    ...ctx.env,
    ...stepEnv,
    ...files,
    PATH: stepPath(ctx),
  };
  const child = spawn(shell[0], shell.slice(1), {
    cwd: resolve(ctx.workspace, step['working-directory'] ?? ''),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let pending = '';
  const onData = (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    lines.forEach((line) => log.write(line));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (pending) log.write(pending);
  const read = (name: keyof typeof files) => readFileSync(files[name], 'utf8');
  return outcome(code === 0 ? 'success' : 'failure', {
    outputs: parseFileCommand(read('GITHUB_OUTPUT'), 'GITHUB_OUTPUT'),
    exportedEnv: parseFileCommand(read('GITHUB_ENV'), 'GITHUB_ENV'),
    path: read('GITHUB_PATH').split('\n').filter(Boolean),
    summary: ctx.masker.mask(read('GITHUB_STEP_SUMMARY')),
    log: log.log + (code === 0 ? '' : `\nError: Process completed with exit code ${code}.`),
    annotations: log.annotations,
  });
}

/** Runs one step whose `with:` and `env:` are already evaluated. */
export async function executeStep(
  ctx: JobContext,
  step: StepSpec,
  name: string,
  index: number,
  inputs: Record<string, string>,
  stepEnv: Record<string, string>,
): Promise<StepOutcome> {
  const info: StepInfo = { ...ctx.info, step, name };
  if (step.run !== undefined) {
    const override = ctx.host.overrideScript?.(info);
    if (override && 'skip' in override) return outcome('success', { note: `skipped here: ${override.skip}` });
    const env = ctx.host.scriptEnv?.(stepEnv) ?? stepEnv;
    const result = await runScript(ctx, step, override?.script ?? step.run, env, index);
    return override ? { ...result, note: override.note } : result;
  }
  const uses = step.uses ?? '';
  const actionDir = ourActionDir(ctx, uses);
  if (actionDir) {
    const action = actionDir.split('/').pop() ?? uses;
    const adjusted = ctx.host.actionInputs?.(action, inputs, info) ?? inputs;
    return runOurAction(ctx, actionDir, adjusted, stepEnv, step.id ?? `__shipyard_${action}`);
  }
  try {
    const emulated = emulate(ctx, uses, inputs);
    if (!emulated) throw new Error(`the local runner does not know the action ${uses}`);
    return emulated;
  } catch (error) {
    return failed(error);
  }
}
