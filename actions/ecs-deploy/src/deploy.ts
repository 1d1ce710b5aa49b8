import * as core from '@shipyard/shared/core';
import { ECSClient } from '@aws-sdk/client-ecs';
import { createClient } from '@shipyard/shared/aws';
import { diffTaskDefinitions, formatChangeLines } from '@shipyard/shared/ecs-diff';
import { DeploymentFailure, describeError } from '@shipyard/shared/errors';
import { createGithubDeployment, setGithubDeploymentStatus } from '@shipyard/shared/github';
import { annotateError, group } from '@shipyard/shared/log';
import { cancellationSignal, PollCancelledError } from '@shipyard/shared/poll';
import { writeSummary } from '@shipyard/shared/summary';
import { deregisterOldRevisions, familyOf } from './cleanup';
import { ACTION_NAME, AWS_MAX_ATTEMPTS, Input } from './constants';
import type { Inputs } from './inputs';
import { planServices, type ServicePlan } from './plan';
import { resolveRevisions, revisionName, type Revisions } from './register';
import { buildSummary, runStatus, setOutputs, type RunReport, type ServiceReport } from './report';
import { rollBack, type RollbackResult } from './rollback';
import { markSettled, saveDeployments, type SavedState } from './state';
import { startDeployments, type StartedDeployment, type StartResult } from './update';
import { watchAndVerify, type ServiceResult } from './watch';

// The AWS half of the action, loaded only once the inputs are valid: plan → register → diff → update → watch and
// verify → explain and roll back → report → clean up.

interface Context {
  inputs: Inputs;
  region: string;
  ecs: ECSClient;
  startedAtMs: number;
  signal: AbortSignal;
}

function logChanges(plans: ServicePlan[], revisions: Revisions, inputs: Inputs): RunReport['changes'] {
  const seen = new Map<string, RunReport['changes'][number]>();
  for (const plan of plans) {
    const from = revisions.current.get(plan.name)!;
    const to = revisions.next.get(plan.name)!;
    const key = `${from.taskDefinitionArn} → ${to.taskDefinitionArn}`;
    if (!seen.has(key)) {
      const changes =
        from.taskDefinitionArn === to.taskDefinitionArn
          ? []
          : diffTaskDefinitions(from, to, { showEnvValues: inputs.showEnvValues });
      seen.set(key, { from: from.taskDefinitionArn ?? '', to: to.taskDefinitionArn ?? '', changes });
      core.info(`${revisionName(from.taskDefinitionArn)} → ${revisionName(to.taskDefinitionArn)}:`);
      for (const line of formatChangeLines(changes)) core.info(`  ${line}`);
    }
  }
  return [...seen.values()];
}

/** Loaded only when something failed: the explanation is the one reader of CloudWatch Logs. */
async function explain(ctx: Context, failed: ServiceResult[]): Promise<string[]> {
  const [{ CloudWatchLogsClient }, { formatExplanation, gatherFailureFacts }] = await Promise.all([
    import('@aws-sdk/client-cloudwatch-logs'),
    import('@shipyard/shared/ecs-explain'),
  ]);
  const logs = createClient(CloudWatchLogsClient, {
    action: ACTION_NAME,
    region: ctx.region,
    maxAttempts: AWS_MAX_ATTEMPTS,
  });
  const explanations = await Promise.all(
    failed.map(async (result) => {
      const facts = await gatherFailureFacts({
        ecs: ctx.ecs,
        logs,
        cluster: ctx.inputs.cluster,
        service: result.deployment.plan.name,
        reason: result.reason ?? result.outcome,
        taskDefinition: result.deployment.next,
        events: result.last?.snapshot.service?.events,
        since: result.deployment.startedAt,
      });
      return formatExplanation(facts);
    }),
  );
  return explanations.flat();
}

function requestsFor(started: StartedDeployment[]) {
  return started.map((d) => ({
    target: d.target,
    previousTaskDefinitionArn: d.previousTaskDefinitionArn,
    knownGood: d.plan.knownGood,
  }));
}

function serviceReports(
  ctx: Context,
  plans: ServicePlan[],
  revisions: Revisions,
  start: StartResult | undefined,
  results: ServiceResult[],
  rollbacks: RollbackResult[],
  cancelled: boolean,
): ServiceReport[] {
  return plans.map((plan) => {
    const started = start?.started.find((d) => d.plan.name === plan.name);
    const result = results.find((r) => r.deployment.plan.name === plan.name);
    const rollback = rollbacks.find((r) => r.service === plan.name);
    const failure = start?.failures.find((f) => f.plan.name === plan.name);
    const base = {
      service: plan.name,
      from: plan.currentTaskDefinitionArn,
      to: revisions.next.get(plan.name)?.taskDefinitionArn ?? plan.currentTaskDefinitionArn,
      strategy: plan.strategy,
      deploymentId: started?.target.deploymentId,
      durationMs: started ? Date.now() - started.startedAt.getTime() : undefined,
    };
    if (failure) return { ...base, result: 'failed', detail: describeError(failure.error) };
    if (!started) return { ...base, result: start ? 'unchanged' : 'not-started' };
    if (cancelled) return { ...base, result: 'cancelled' };
    if (!ctx.inputs.wait) return { ...base, result: 'started' };
    const why = result?.outcome === 'succeeded' ? undefined : result?.reason;
    if (rollback) {
      const detail = [why?.replace(/\.$/, ''), rollback.detail].filter(Boolean).join('; ');
      return { ...base, result: rollback.outcome, detail };
    }
    if (result?.outcome === 'succeeded') return { ...base, result: 'succeeded' };
    return {
      ...base,
      result: result?.outcome === 'timed-out' ? 'timed-out' : 'failed',
      detail: why ?? 'not watched to the end',
    };
  });
}

async function finish(ctx: Context, report: RunReport, githubId: number | undefined): Promise<void> {
  setOutputs(report);
  await writeSummary(buildSummary(report));
  if (report.status === 'started') return; // still in_progress: nobody waited for the outcome
  const state = report.status === 'succeeded' ? 'success' : 'failure';
  const first = report.services.find((s) => s.detail)?.detail;
  await setGithubDeploymentStatus({
    token: ctx.inputs.github.token,
    deploymentId: githubId,
    state,
    environmentUrl: ctx.inputs.github.environmentUrl,
    description: state === 'success' ? `Deployed ${report.services.map((s) => revisionName(s.to)).join(', ')}` : first,
  });
}

/** A watch that broke (an AWS error while polling) fails every deployment it followed; they are rolled back. */
function watchFailed(started: StartedDeployment[], error: unknown): ServiceResult[] {
  const reason = `watching failed: ${describeError(error)}`;
  return started.map((deployment) => ({ deployment, outcome: 'failed', reason, verification: {} }));
}

/** The one-line cause: the first service that failed on its own, and how many are back. */
function failureMessage(report: RunReport, culprits: string[]): string {
  const culprit =
    report.services.find((s) => culprits.includes(s.service)) ?? report.services.find((s) => s.result !== 'succeeded');
  const lead = culprit ? `${culprit.service}: ${culprit.detail ?? culprit.result}` : 'the deployment failed';
  if (report.services.length === 1) return lead;
  const back = report.services.filter((s) => s.result === 'rolled-back').length;
  return `${Math.max(culprits.length, 1)} of ${report.services.length} services failed (${lead})${back ? `; ${back} rolled back` : ''}`;
}

/** mode register or plan: what each service would move to (registered, or only rendered), and the diff. */
async function reportWithoutDeploying(
  ctx: Context,
  plans: ServicePlan[],
  revisions: Revisions,
  changes: RunReport['changes'],
): Promise<void> {
  const services = plans.map((plan): ServiceReport => {
    const to = revisions.next.get(plan.name)?.taskDefinitionArn;
    const changed = to !== plan.currentTaskDefinitionArn;
    return {
      service: plan.name,
      from: plan.currentTaskDefinitionArn,
      to: to ?? '',
      strategy: plan.strategy,
      result: !changed ? 'unchanged' : ctx.inputs.mode === 'plan' ? 'planned' : 'registered',
    };
  });
  const report: RunReport = {
    status: ctx.inputs.mode === 'plan' ? 'planned' : 'registered',
    cluster: ctx.inputs.cluster,
    region: ctx.region,
    services,
    changes,
    explanation: [],
    durationMs: Date.now() - ctx.startedAtMs,
  };
  setOutputs(report);
  await writeSummary(buildSummary(report));
}

export async function deploy(inputs: Inputs, region: string, startedAtMs: number): Promise<void> {
  const ecs = createClient(ECSClient, { action: ACTION_NAME, region, maxAttempts: AWS_MAX_ATTEMPTS });
  const ctx: Context = { inputs, region, ecs, startedAtMs, signal: cancellationSignal() };
  const plans = await group('Cluster and services', () => planServices(ecs, inputs, region, ctx.signal));
  const revisions = await group('Task definition', () => resolveRevisions(ecs, inputs, plans, region));
  const changes = await group('Changes', async () => logChanges(plans, revisions, inputs));

  if (inputs.mode !== 'deploy') {
    await reportWithoutDeploying(ctx, plans, revisions, changes);
    return;
  }
  // A cancellation before any service changed ends the run here: there is nothing to roll back.
  if (ctx.signal.aborted) throw new DeploymentFailure('cancelled before any service was updated; nothing to roll back');

  const githubId = inputs.github.environment
    ? await createGithubDeployment({ token: inputs.github.token, environment: inputs.github.environment })
    : undefined;
  await setGithubDeploymentStatus({
    token: inputs.github.token,
    deploymentId: githubId,
    state: 'in_progress',
    environmentUrl: inputs.github.environmentUrl,
  });

  const saved: SavedState = { cluster: inputs.cluster, region, deployments: [] };
  const start = await group('Deploy', () =>
    startDeployments(ecs, inputs, plans, revisions.next, (d) => {
      saved.deployments.push({
        service: d.plan.name,
        taskDefinitionArn: d.target.taskDefinitionArn,
        previousTaskDefinitionArn: d.previousTaskDefinitionArn,
        knownGood: d.plan.knownGood,
        deploymentId: d.target.deploymentId,
        serviceDeploymentArn: d.target.serviceDeploymentArn,
      });
      saveDeployments(saved);
    }),
  );

  let results: ServiceResult[] = [];
  let cancelled = false;
  if (inputs.wait && start.started.length) {
    try {
      results = await group('Watch and verify', () => watchAndVerify(ecs, inputs, start.started, ctx.signal));
    } catch (error) {
      if (error instanceof PollCancelledError) cancelled = true;
      else results = watchFailed(start.started, error);
    }
  }
  const failed = results.filter((r) => r.outcome === 'failed' || r.outcome === 'timed-out');
  const anyFailure = failed.length > 0 || start.failures.length > 0 || results.some((r) => r.outcome === 'interrupted');
  const explanation = failed.length ? await explain(ctx, failed) : [];
  core.printUntrusted(explanation);
  // With several services, each failure gets its own annotation; a single one is the step's own error.
  if (plans.length > 1)
    for (const result of failed) annotateError(`${result.deployment.plan.name}: ${result.reason ?? result.outcome}`);

  let rollbacks: RollbackResult[] = [];
  if (anyFailure && inputs.autoRollback && !cancelled) {
    rollbacks = await group('Roll back', () =>
      rollBack(ecs, inputs.cluster, requestsFor(start.started), {
        timeoutMs: inputs.timeoutMs,
        signal: ctx.signal,
        eventStreams: new Map(start.started.map((d) => [d.plan.name, d.plan.events])),
      }),
    );
  }
  const services = serviceReports(ctx, plans, revisions, start, results, rollbacks, cancelled);
  const report: RunReport = {
    status: runStatus(services, cancelled),
    cluster: inputs.cluster,
    region,
    services,
    changes,
    explanation,
    durationMs: Date.now() - startedAtMs,
  };
  await finish(ctx, report, githubId);
  if (cancelled) {
    const next = inputs.rollbackOnCancel
      ? 'the post step rolls back what started'
      : `"${Input.RollbackOnCancel}" is false: nothing is rolled back`;
    throw new DeploymentFailure(`cancelled while deploying; ${next}`);
  }
  markSettled();
  if (report.status !== 'succeeded' && report.status !== 'started') {
    const culprits = [...failed.map((r) => r.deployment.plan.name), ...start.failures.map((f) => f.plan.name)];
    throw new DeploymentFailure(failureMessage(report, culprits));
  }
  if (inputs.keepRevisions > 0 && start.started.length) {
    await group('Clean up', async () => {
      const protectedArns = new Set(plans.flatMap((p) => [p.currentTaskDefinitionArn, p.knownGood ?? '']));
      for (const d of start.started) protectedArns.add(d.target.taskDefinitionArn);
      const families = [...new Set(start.started.map((d) => familyOf(d.target.taskDefinitionArn)))];
      await deregisterOldRevisions(ecs, families, inputs.keepRevisions, protectedArns);
    });
  }
}
