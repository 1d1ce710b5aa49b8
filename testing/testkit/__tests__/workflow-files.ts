import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { tempDirs } from '../src/temp-dirs';

const tempDir = tempDirs();

/** Reads the reusable workflows, our action metadata and the examples as plain data, for the workflow tests. */

export const ROOT = resolve(__dirname, '../../..');
export const WORKFLOWS = join(ROOT, '.github/workflows');
export const SCRIPTS = join(ROOT, '.github/scripts');
export const EXAMPLES = join(ROOT, 'examples');

export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface Job {
  name?: string;
  'runs-on'?: string | string[];
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  environment?: string | { name: string; url?: string };
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  strategy?: { matrix?: Record<string, unknown> };
  outputs?: Record<string, string>;
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, string> | 'inherit';
}

export interface InputSpec {
  type?: string;
  required?: boolean;
  default?: unknown;
  options?: string[];
}

export interface Workflow {
  on: {
    workflow_call?: {
      inputs?: Record<string, InputSpec>;
      secrets?: Record<string, { required?: boolean }>;
      outputs?: Record<string, { value: string }>;
    };
    workflow_dispatch?: { inputs?: Record<string, InputSpec> };
  };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

export function readYaml<T>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export const reusableWorkflow = (file: string): Workflow => readYaml(join(WORKFLOWS, file));

export function actionInputs(action: string): Record<string, InputSpec> {
  return readYaml<{ inputs?: Record<string, InputSpec> }>(join(ROOT, 'actions', action, 'action.yml')).inputs ?? {};
}

export const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : [job.needs].flat());

/** `./actions/<name>` inside our workflows: the Shipyard checkout at the workspace root. */
export const LOCAL_ACTION = /^\.\/actions\/([\w.-]+)$/;
/** `<owner>/shipyard/actions/<name>@<ref>` or `…/.github/workflows/<file>@<ref>` from an application repository. */
export const REMOTE_ACTION = /^[\w.-]+\/shipyard\/actions\/([\w.-]+)@[\w.-]+$/;
export const REMOTE_WORKFLOW = /^[\w.-]+\/shipyard\/\.github\/workflows\/([\w.-]+\.yml)@[\w.-]+$/;

/** Every step of every job, with where it is, for table tests. */
export function stepsOf(workflow: Workflow): { job: string; index: number; step: Step }[] {
  return Object.entries(workflow.jobs).flatMap(([job, { steps = [] }]) =>
    steps.map((step, index) => ({ job, index, step })),
  );
}

/** The `with:` keys a step passes that the action does not declare, and the required inputs it leaves out. */
export function inputProblems(given: Record<string, unknown> | undefined, declared: Record<string, InputSpec>) {
  const keys = Object.keys(given ?? {});
  return {
    unknown: keys.filter((key) => !(key in declared)),
    missing: Object.entries(declared)
      .filter(([name, spec]) => spec.required === true && spec.default === undefined && !keys.includes(name))
      .map(([name]) => name),
  };
}

/** Reads a $GITHUB_OUTPUT file, `name=value` lines and `name<<DELIMITER` blocks alike. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      outputs[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return outputs;
}

export interface StepRun {
  status: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs a command the way a `run:` step does: given environment only, fresh output and summary files. */
export function runStep(command: string, args: string[], env: Record<string, string>): StepRun {
  const dir = tempDir('shipyard-step-');
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const result = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...files, ...env },
  });
  return {
    status: result.status,
    stdout: result.stdout + result.stderr,
    outputs: parseOutputFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
  };
}
