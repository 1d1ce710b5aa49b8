import type { ActionRun, Annotation } from '@shipyard/testkit/run-action';

// The shapes of a workflow file (the keys the local runner reads) and of what a run records.

export interface StepSpec {
  id?: string;
  name?: string;
  if?: unknown;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  env?: Record<string, unknown>;
  shell?: string;
  'working-directory'?: string;
}

export interface JobSpec {
  name?: string;
  needs?: string | string[];
  if?: unknown;
  environment?: string | { name?: string; url?: string };
  strategy?: { matrix?: unknown; 'fail-fast'?: boolean };
  env?: Record<string, unknown>;
  outputs?: Record<string, string>;
  steps?: StepSpec[];
  /** A reusable workflow call. */
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: 'inherit' | Record<string, string>;
}

export interface InputSpec {
  type?: 'string' | 'boolean' | 'number' | 'choice' | 'environment';
  required?: boolean;
  default?: unknown;
}

export interface WorkflowFile {
  name?: string;
  on?: {
    workflow_call?: { inputs?: Record<string, InputSpec>; outputs?: Record<string, { value: string }> };
    workflow_dispatch?: { inputs?: Record<string, InputSpec> } | null;
  } & Record<string, unknown>;
  env?: Record<string, unknown>;
  jobs: Record<string, JobSpec>;
}

export type Result = 'success' | 'failure' | 'skipped';

/** One step as it ran (or was skipped), with what the runner would show of it. */
export interface StepRecord {
  /** `<caller job> / <job>` for the jobs of a called workflow. */
  job: string;
  jobName: string;
  /** The GitHub environment of the job, when it names one. */
  environment?: string;
  matrix?: Record<string, unknown>;
  step: string;
  id?: string;
  /** `./actions/ecs-deploy`, `actions/checkout@…`, or undefined for `run:`. */
  uses?: string;
  result: Result;
  /** Why a step was skipped or emulated. */
  note?: string;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  summary: string;
  log: string;
  annotations: Annotation[];
  durationMs: number;
  /** Our bundled actions: the harness run (main and post). */
  run?: ActionRun;
}

export interface JobRecord {
  id: string;
  name: string;
  result: Result;
  environment?: string;
  outputs: Record<string, string>;
}

export interface WorkflowRun {
  result: Result;
  jobs: JobRecord[];
  steps: StepRecord[];
  outputs: Record<string, string>;
}

/** The `github` context of a run (the caller's, also inside called workflows). */
export interface GithubContext {
  repository: string;
  sha: string;
  ref: string;
  ref_name: string;
  event_name: string;
  actor: string;
  run_id: string;
  run_attempt: string;
  token: string;
  workflow: string;
  server_url: string;
  api_url: string;
  event: Record<string, unknown>;
}

/** A `run:` step replaced or skipped where the runner lacks what it needs (npm ci of an app that is not here …). */
export type ScriptOverride = { skip: string } | { script: string; note: string };

export interface StepInfo {
  job: string;
  step: StepSpec;
  name: string;
  environment?: string;
}

/** The machine the jobs run on: aws-sim's environment, the docker shim, the caller's repository, and hooks. */
export interface RunnerHost {
  /** This repository: `./actions/*` after the Shipyard checkout, and `*\/shipyard/…@ref` references. */
  shipyardRoot: string;
  /** The caller's repository (what `actions/checkout` without `repository:` checks out). */
  repository: string;
  /** Variables every step gets (AWS endpoint and credentials, PATH with the docker shim, …). */
  env: Record<string, string>;
  /** Where upload-artifact keeps files for the whole run. */
  artifacts: string;
  /** Secrets of GitHub environments, by environment name: they override the others in jobs that name it. */
  environmentSecrets?: Record<string, Record<string, string>>;
  /** Per step run by the harness; default 60 s. */
  stepTimeoutMs?: number;
  overrideScript?(info: StepInfo): ScriptOverride | undefined;
  /** Lets a caller adjust the `env:` of `run:` steps (e.g. public URLs routed to local endpoints). */
  scriptEnv?(env: Record<string, string>): Record<string, string>;
  /** Lets a caller adjust our actions' inputs (e.g. shorter verification intervals for a fast clock). */
  actionInputs?(action: string, inputs: Record<string, string>, info: StepInfo): Record<string, string>;
  /** Told each line one of our actions prints (unmasked) as it comes: lets a caller act on a milestone it reports. */
  onActionLine?(action: string, line: string): void;
  afterStep?(record: StepRecord): void | Promise<void>;
}
