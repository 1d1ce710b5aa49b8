import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretMasker } from '@shipyard/testkit/secret-masker';
import { parse } from 'yaml';
import {
  evaluateCondition,
  interpolate,
  toText,
  type ExpressionScope,
  type Value,
} from '@shipyard/testkit/expressions';
import type {
  GithubContext,
  InputSpec,
  JobRecord,
  JobSpec,
  Result,
  RunnerHost,
  StepRecord,
  WorkflowFile,
  WorkflowRun,
} from './model';
import { executeStep, type JobContext } from './steps';

// A local runner for workflow files: jobs in `needs` order with their `if:` and status functions, matrices, job
// and workflow outputs, reusable workflow calls (`uses:` of a job), and the steps of each job. Jobs run one after
// another; a matrix's legs too. What a GitHub-hosted runner provides beyond that (approvals, concurrency groups,
// OIDC) is not modelled: environments are recorded, reviewers are taken as having approved.

export interface RunWorkflowOptions {
  /** The workflow file. */
  file: string;
  /** Its `with:` (a workflow_call) or dispatch inputs. */
  inputs?: Record<string, unknown>;
  secrets?: Record<string, string>;
  github: GithubContext;
  host: RunnerHost;
  /** `owner/repo` of the repository the file belongs to (the `job.workflow_repository` context). */
  workflowRepository?: string;
  /** Job label prefix for a called workflow (`<caller job> / `). */
  prefix?: string;
}

const WORKFLOW_SHA = '5d3c1f0e9b8a7d6c5b4a39281706f5e4d3c2b1a0';

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * Declared inputs with their defaults and types: a called workflow's `workflow_call` inputs, a dispatched one's
 * `workflow_dispatch` inputs; other events have none (`inputs.x` is empty on a push). An input the workflow does not
 * declare for the event is an error.
 */
function inputContext(
  workflow: WorkflowFile,
  given: Record<string, unknown>,
  file: string,
  trigger: 'call' | string,
): Record<string, Value> {
  const declared: Record<string, InputSpec> =
    trigger === 'call'
      ? (workflow.on?.workflow_call?.inputs ?? {})
      : trigger === 'workflow_dispatch'
        ? (workflow.on?.workflow_dispatch?.inputs ?? {})
        : {};
  for (const name of Object.keys(given)) {
    if (!(name in declared)) throw new Error(`${file}: unexpected input "${name}" for this event`);
  }
  const inputs: Record<string, Value> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const raw = (name in given ? given[name] : spec.default) as Value | undefined;
    if (raw === undefined && spec.required) throw new Error(`${file}: input "${name}" is required`);
    if (spec.type === 'boolean') inputs[name] = raw === true || String(raw).toLowerCase() === 'true';
    else if (spec.type === 'number') inputs[name] = Number(raw ?? 0);
    else inputs[name] = raw === undefined ? '' : toText(raw);
  }
  return inputs;
}

/** Jobs in an order that respects `needs` (declaration order otherwise). */
function jobOrder(jobs: Record<string, JobSpec>): string[] {
  const done: string[] = [];
  const visit = (id: string, path: string[]) => {
    if (done.includes(id)) return;
    if (path.includes(id)) throw new Error(`jobs form a cycle: ${[...path, id].join(' → ')}`);
    if (!jobs[id]) throw new Error(`a job needs "${id}", which does not exist`);
    for (const need of list(jobs[id].needs)) visit(need, [...path, id]);
    done.push(id);
  };
  Object.keys(jobs).forEach((id) => visit(id, []));
  return done;
}

function ancestors(jobs: Record<string, JobSpec>, id: string): string[] {
  const direct = list(jobs[id].needs);
  return [...new Set([...direct, ...direct.flatMap((need) => ancestors(jobs, need))])];
}

/** Matrix legs: the product of the matrix's lists (`include`/`exclude` are not used by our workflows). */
function matrixLegs(matrix: Value): Record<string, Value>[] {
  if (matrix === null || typeof matrix !== 'object' || Array.isArray(matrix)) return [{}];
  let legs: Record<string, Value>[] = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    if (key === 'include' || key === 'exclude') throw new Error(`matrix ${key} is not supported by the local runner`);
    const items = Array.isArray(values) ? values : [values];
    legs = legs.flatMap((leg) => items.map((item) => ({ ...leg, [key]: item })));
  }
  return legs;
}

function toStrings(value: Value): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toText(item)]));
}

interface LegResult {
  result: Result;
  outputs: Record<string, string>;
  steps: StepRecord[];
  jobs: JobRecord[];
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun> {
  const workflow = parse(readFileSync(options.file, 'utf8')) as WorkflowFile;
  const inputs = inputContext(
    workflow,
    options.inputs ?? {},
    options.file,
    options.prefix === undefined ? options.github.event_name : 'call',
  );
  const secrets = { GITHUB_TOKEN: options.github.token, ...options.secrets };
  const github = options.github;
  const prefix = options.prefix ?? '';
  const results: Record<string, { result: Result; outputs: Record<string, string> }> = {};
  const jobs: JobRecord[] = [];
  const steps: StepRecord[] = [];
  const base = { github, inputs, vars: {}, secrets };
  const workflowEnv = toStrings(interpolate(workflow.env ?? {}, { contexts: base }));

  for (const id of jobOrder(workflow.jobs)) {
    const spec = workflow.jobs[id];
    const needs = Object.fromEntries(list(spec.needs).map((need) => [need, results[need]]));
    const before = ancestors(workflow.jobs, id).map((need) => results[need].result);
    const status = {
      success: () => before.every((result) => result === 'success'),
      failure: () => before.includes('failure'),
      cancelled: () => false,
    };
    const jobScope: ExpressionScope = { contexts: { ...base, needs }, status };
    const environmentValue = (scope: ExpressionScope) => {
      const environment = interpolate(spec.environment, scope);
      return typeof environment === 'string' ? environment : toText(property(environment, 'name')) || undefined;
    };
    if (!evaluateCondition(spec.if, jobScope)) {
      results[id] = { result: 'skipped', outputs: {} };
      jobs.push({ id: prefix + id, name: String(spec.name ?? id), result: 'skipped', outputs: {} });
      continue;
    }
    const legs = matrixLegs(interpolate(spec.strategy?.matrix ?? null, jobScope));
    const legResults: LegResult[] = [];
    for (const matrix of legs) {
      const legScope: ExpressionScope = { contexts: { ...base, needs, matrix, strategy: {} }, status };
      const name = toText(interpolate(spec.name ?? id, legScope));
      const environment = environmentValue(legScope);
      const environmentSecrets = environment ? options.host.environmentSecrets?.[environment] : undefined;
      const scope = { ...legScope, contexts: { ...legScope.contexts, secrets: { ...secrets, ...environmentSecrets } } };
      const leg = spec.uses
        ? await callWorkflow(options, spec, scope, `${prefix}${id} / `)
        : await runSteps(options, id, spec, scope, { name, environment, matrix, workflowEnv });
      legResults.push(leg);
      steps.push(...leg.steps);
      jobs.push(...leg.jobs, { id: prefix + id, name, result: leg.result, environment, outputs: leg.outputs });
      if (leg.result === 'failure' && spec.strategy?.['fail-fast'] !== false) break;
    }
    const result = legResults.some((leg) => leg.result === 'failure') ? 'failure' : 'success';
    results[id] = { result, outputs: Object.assign({}, ...legResults.map((leg) => leg.outputs)) };
  }

  const jobsContext = Object.fromEntries(Object.entries(results).map(([id, r]) => [id, r]));
  const declaredOutputs = workflow.on?.workflow_call?.outputs ?? {};
  const outputs = Object.fromEntries(
    Object.entries(declaredOutputs).map(([name, { value }]) => [
      name,
      toText(interpolate(value, { contexts: { ...base, jobs: jobsContext } })),
    ]),
  );
  const failed = Object.values(results).some((r) => r.result === 'failure');
  return { result: failed ? 'failure' : 'success', jobs, steps, outputs };
}

function property(value: Value, key: string): Value {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value[key] ?? null) : null;
}

/** A job that calls a reusable workflow: ours (`<owner>/shipyard/.github/workflows/…@ref`) or the caller's (`./…`). */
async function callWorkflow(
  options: RunWorkflowOptions,
  spec: JobSpec,
  scope: ExpressionScope,
  prefix: string,
): Promise<LegResult> {
  const uses = spec.uses ?? '';
  const ours = /^[^/\s]+\/shipyard\/(\.github\/workflows\/[^@]+)@.+$/.exec(uses);
  const file = ours
    ? join(options.host.shipyardRoot, ours[1])
    : uses.startsWith('./')
      ? join(options.host.repository, uses)
      : undefined;
  if (!file) throw new Error(`the local runner cannot call ${uses}`);
  const callerSecrets = (scope.contexts.secrets ?? {}) as Record<string, string>;
  const secrets = spec.secrets === 'inherit' ? callerSecrets : toStrings(interpolate(spec.secrets ?? {}, scope));
  const run = await runWorkflow({
    ...options,
    file,
    inputs: interpolate(spec.with ?? {}, scope) as Record<string, unknown>,
    secrets,
    workflowRepository: ours ? 'shipyard-dev/shipyard' : options.github.repository,
    prefix,
  });
  return { result: run.result, outputs: run.outputs, steps: run.steps, jobs: run.jobs };
}

type JobLeg = {
  name: string;
  environment?: string;
  matrix: Record<string, Value>;
  workflowEnv: Record<string, string>;
};

/** Runs a job's steps in a runner folder of its own, removed when the job ends (as a hosted runner's disk is). */
async function runSteps(
  options: RunWorkflowOptions,
  id: string,
  spec: JobSpec,
  scope: ExpressionScope,
  job: JobLeg,
): Promise<LegResult> {
  const home = mkdtempSync(join(tmpdir(), 'shipyard-job-'));
  try {
    return await runStepsIn(home, options, id, spec, scope, job);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function runStepsIn(
  home: string,
  options: RunWorkflowOptions,
  id: string,
  spec: JobSpec,
  scope: ExpressionScope,
  job: JobLeg,
): Promise<LegResult> {
  const ctx: JobContext = {
    host: options.host,
    github: options.github,
    jobId: id,
    info: { job: (options.prefix ?? '') + id, environment: job.environment },
    workspace: join(home, 'workspace'),
    temp: join(home, '_temp'),
    home,
    env: {},
    path: [],
    masker: new SecretMasker(),
    workflowRepository: options.workflowRepository ?? options.github.repository,
  };
  mkdirSync(ctx.workspace);
  mkdirSync(ctx.temp);
  const runner = { temp: ctx.temp, os: 'Linux', arch: 'X64' };
  const jobContext = { workflow_repository: ctx.workflowRepository, workflow_sha: WORKFLOW_SHA, status: 'success' };
  ctx.env = {
    ...job.workflowEnv,
    ...toStrings(interpolate(spec.env ?? {}, { ...scope, contexts: { ...scope.contexts, runner } })),
  };
  const stepsContext: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const records: StepRecord[] = [];
  let failed = false;
  for (const [index, step] of (spec.steps ?? []).entries()) {
    const stepScope: ExpressionScope = {
      contexts: { ...scope.contexts, steps: stepsContext, env: ctx.env, runner, job: jobContext },
      status: { success: () => !failed, failure: () => failed, cancelled: () => false },
    };
    const name = toText(
      interpolate(step.name ?? (step.uses ? step.uses.split('@')[0] : (step.run ?? '').split('\n')[0]), stepScope),
    );
    const started = Date.now();
    const base = {
      job: ctx.info.job,
      jobName: job.name,
      environment: job.environment,
      matrix: job.matrix,
      step: name,
      id: step.id,
      uses: step.uses,
    };
    if (!evaluateCondition(step.if, stepScope)) {
      const record: StepRecord = {
        ...base,
        result: 'skipped',
        inputs: {},
        outputs: {},
        summary: '',
        log: '',
        annotations: [],
        durationMs: 0,
      };
      records.push(record);
      if (step.id) stepsContext[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      await options.host.afterStep?.(record);
      continue;
    }
    const inputs = toStrings(interpolate(step.with ?? {}, stepScope));
    const stepEnv = toStrings(interpolate(step.env ?? {}, stepScope));
    const evaluated = { ...step, ...(step.run === undefined ? {} : { run: toText(interpolate(step.run, stepScope)) }) };
    const done = await executeStep(ctx, evaluated, name, index, inputs, stepEnv);
    Object.assign(ctx.env, done.exportedEnv);
    ctx.path.push(...done.path);
    if (done.result === 'failure') failed = true;
    if (step.id) stepsContext[step.id] = { outputs: done.outputs, outcome: done.result, conclusion: done.result };
    const record: StepRecord = {
      ...base,
      result: done.result,
      note: done.note,
      inputs,
      outputs: done.outputs,
      summary: done.summary,
      log: done.log,
      annotations: done.annotations,
      durationMs: Date.now() - started,
      run: done.run,
    };
    records.push(record);
    await options.host.afterStep?.(record);
  }
  const outputScope: ExpressionScope = {
    contexts: { ...scope.contexts, steps: stepsContext, runner, job: jobContext },
  };
  const outputs = toStrings(interpolate(spec.outputs ?? {}, outputScope));
  return { result: failed ? 'failure' : 'success', outputs, steps: records, jobs: [] };
}
