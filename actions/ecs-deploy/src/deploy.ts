import * as core from '@shipyard/platform/core';
import { ECSClient } from '@aws-sdk/client-ecs';
import { createClient } from '@shipyard/platform/aws';
import type { DeploymentSnapshot } from '@shipyard/ecs/deployments';
import { formatChangeLines } from '@shipyard/ecs/diff';
import { drainDelays } from '@shipyard/ecs/drain';
import { DeploymentFailure, describeError, FailureWithOutcome } from '@shipyard/platform/errors';
import { githubDeploymentForJob, setGithubDeploymentStatus } from '@shipyard/platform/github';
import { group } from '@shipyard/platform/log';
import { cancellationSignal, PollCancelledError } from '@shipyard/platform/poll';
import { writeSummary } from '@shipyard/platform/summary';
import { deregisterOldRevisions, familyOf } from './cleanup';
import { ACTION, AWS_MAX_ATTEMPTS } from './constants';
import type { Inputs } from './inputs';
import { taskDefinitionChanges } from './normalize';
import { planServices, type ServicePlan } from './plan';
import { resolveRevisions, revisionName, type Revisions } from './register';
import { buildSummary, runStatus, setOutputs, type RunReport, type ServiceReport } from './report';
import { rollBack, type RollbackRequest, type RollbackResult } from './rollback';
import { cancelledMessage, failureMessage } from './verdict';
import { markSettled, saveDeployments, type SavedDeployment } from './state';
import { startDeployments, type StartedDeployment, type StartResult } from './update';
import { watchAndVerify, type ServiceResult } from './watch';

// The AWS half of the action, loaded only once the inputs are valid: plan → register → diff → update → watch and
// verify → explain and roll back → report → clean up.

interface Context {
  inputs: Inputs;
  region: string;
  ecs: ECSClient;
  /** One attempt per call: for calls a blind repeat could double (RegisterTaskDefinition, see register.ts) or send
   * after ECS moved on (a hook's answer, see watch.ts). */
  registrar: ECSClient;
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
          : taskDefinitionChanges(from, to, { showEnvValues: inputs.showEnvValues });
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
    import('@shipyard/ecs/explain'),
  ]);
  const logs = createClient(CloudWatchLogsClient, {
    action: ACTION,
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

/**
 * What to put back: every started service on its known-good revision (the one it ran before when none is known),
 * and every service whose UpdateService failed without a clear refusal on exactly what it ran before — if ECS did
 * not apply the update, that service is already there and nothing is called.
 */
function rollbackRequests(start: StartResult): RollbackRequest[] {
  const started = start.started.map((d) => ({
    target: d.target,
    previousTaskDefinitionArn: d.previousTaskDefinitionArn,
    knownGood: d.plan.knownGood ?? d.previousTaskDefinitionArn,
  }));
  const uncertain = start.failures
    .filter((f) => f.error.uncertain)
    .map(({ plan }) => ({
      target: { service: plan.name, taskDefinitionArn: plan.currentTaskDefinitionArn },
      previousTaskDefinitionArn: plan.currentTaskDefinitionArn,
      knownGood: plan.currentTaskDefinitionArn,
    }));
  return [...started, ...uncertain];
}

function toSaved(d: StartedDeployment): SavedDeployment {
  return {
    service: d.plan.name,
    taskDefinitionArn: d.target.taskDefinitionArn,
    previousTaskDefinitionArn: d.previousTaskDefinitionArn,
    knownGood: d.plan.knownGood,
    deploymentId: d.target.deploymentId,
    serviceDeploymentArn: d.target.serviceDeploymentArn,
  };
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
      knownGood: plan.knownGood,
      to: revisions.next.get(plan.name)?.taskDefinitionArn ?? plan.currentTaskDefinitionArn,
      strategy: plan.strategy,
      deploymentId: started?.target.deploymentId,
      durationMs: started ? Date.now() - started.startedAt.getTime() : undefined,
    };
    if (failure) {
      const restore = rollback ? `; ${rollback.detail}` : '';
      const result = rollback?.outcome === 'rollback-failed' ? 'rollback-failed' : 'failed';
      // A clear refusal changed nothing: the service still runs what it ran.
      const now = rollback?.taskDefinitionArn ?? (failure.error.uncertain ? undefined : plan.currentTaskDefinitionArn);
      return { ...base, result, detail: `${describeError(failure.error)}${restore}`, now };
    }
    if (!started) return { ...base, result: start ? 'unchanged' : 'not-started' };
    if (cancelled) return { ...base, result: 'cancelled' };
    if (!ctx.inputs.wait) return { ...base, result: 'started' };
    const why = result?.outcome === 'succeeded' ? undefined : result?.reason;
    if (rollback) {
      const detail = [why?.replace(/\.$/, ''), rollback.detail].filter(Boolean).join('; ');
      return { ...base, result: rollback.outcome, detail, now: rollback.taskDefinitionArn };
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

/**
 * The watch's last look when ECS's own verdicts ended it, failed for every service: what the rollback starts from.
 * Not after a timeout, nor when a check failed (the look may predate the stop or hook answer that followed it).
 */
function decidingLook(results: ServiceResult[]): Map<string, DeploymentSnapshot> | undefined {
  if (!results.every((r) => r.last?.verdict.state === 'failed')) return undefined;
  return new Map(results.map((r) => [r.deployment.plan.name, r.last!.snapshot]));
}

/** A watch that broke (an AWS error while polling) fails every deployment it followed; they are rolled back. */
function watchFailed(started: StartedDeployment[], error: unknown): ServiceResult[] {
  const reason = `watching failed: ${describeError(error)}`;
  return started.map((deployment) => ({ deployment, outcome: 'failed', reason, verification: {} }));
}

/** The outputs as they stand once services are updated: if the step dies before its verdict, they say so. */
function startedReport(
  ctx: Context,
  plans: ServicePlan[],
  revisions: Revisions,
  begun: StartedDeployment[],
  changes: RunReport['changes'],
): RunReport {
  const services = plans.map((plan): ServiceReport => {
    const started = begun.find((d) => d.plan.name === plan.name);
    return {
      service: plan.name,
      from: plan.currentTaskDefinitionArn,
      to: revisions.next.get(plan.name)?.taskDefinitionArn ?? plan.currentTaskDefinitionArn,
      strategy: plan.strategy,
      result: started ? 'started' : 'not-started',
      deploymentId: started?.target.deploymentId,
    };
  });
  const { cluster } = ctx.inputs;
  return { status: 'started', cluster, region: ctx.region, services, changes, explanation: [], durationMs: 0 };
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

/** What a failure before the first UpdateService left behind: every service where it was. */
function nothingChanged(inputs: Inputs, plans: ServicePlan[] | undefined): string {
  const several = inputs.services.length > 1;
  const where = plans
    ? plans.map((p) => `${p.name} stays on ${revisionName(p.currentTaskDefinitionArn)}`).join(', ')
    : `${inputs.services.join(', ')} ${several ? 'stay as they were' : 'stays as it was'}`;
  return `nothing was changed: ${where}`;
}

/** Everything before the first UpdateService: a failure (or a cancellation) here changed no service, and says so. */
async function prepare(ctx: Context) {
  const { ecs, inputs, region } = ctx;
  let plans: ServicePlan[] | undefined;
  try {
    plans = await group('Cluster and services', () => planServices(ecs, inputs, region, ctx.signal));
    const revisions = await group('Task definition', () =>
      resolveRevisions(ecs, ctx.registrar, inputs, plans!, region),
    );
    const changes = await group('Changes', async () => logChanges(plans!, revisions, inputs));
    if (ctx.signal.aborted) throw new DeploymentFailure('cancelled before any service was updated');
    return { plans, revisions, changes };
  } catch (error) {
    // Only a deploy could have changed something; plan and register say nothing more than their cause.
    if (inputs.mode !== 'deploy') throw error;
    const cause = ctx.signal.aborted ? new DeploymentFailure('cancelled before any service was updated') : error;
    throw new FailureWithOutcome(cause, nothingChanged(inputs, plans));
  }
}

export async function deploy(inputs: Inputs, region: string, startedAtMs: number): Promise<void> {
  const signal = cancellationSignal();
  // A cancelled run abandons its reads at once (changes in flight finish); the post step restores what changed.
  const ecs = createClient(ECSClient, { action: ACTION, region, maxAttempts: AWS_MAX_ATTEMPTS, signal });
  const registrar = createClient(ECSClient, { action: ACTION, region, maxAttempts: 1, signal });
  const ctx: Context = { inputs, region, ecs, registrar, startedAtMs, signal };
  const { plans, revisions, changes } = await prepare(ctx);

  if (inputs.mode !== 'deploy') {
    await reportWithoutDeploying(ctx, plans, revisions, changes);
    return;
  }

  const githubId = inputs.github.environment
    ? await githubDeploymentForJob({ token: inputs.github.token, environment: inputs.github.environment })
    : undefined;
  await setGithubDeploymentStatus({
    token: inputs.github.token,
    deploymentId: githubId,
    state: 'in_progress',
    environmentUrl: inputs.github.environmentUrl,
  });

  if (signal.aborted)
    throw new FailureWithOutcome(
      new DeploymentFailure('cancelled before any service was updated'),
      nothingChanged(inputs, plans),
    );
  // What each service may have become, saved for the post step before and after every UpdateService.
  const begun = new Map<string, SavedDeployment>();
  const startedSoFar = new Map<string, StartedDeployment>();
  const save = () => saveDeployments({ cluster: inputs.cluster, region, deployments: [...begun.values()] });
  const start = await group('Deploy', () =>
    startDeployments(ecs, inputs, plans, revisions.next, {
      intend(plan, next) {
        // Until UpdateService answers, the way back is exactly where the service was.
        const current = plan.currentTaskDefinitionArn;
        begun.set(plan.name, {
          service: plan.name,
          taskDefinitionArn: next.taskDefinitionArn ?? current,
          previousTaskDefinitionArn: current,
          knownGood: current,
        });
        save();
      },
      started(d) {
        begun.set(d.plan.name, toSaved(d));
        startedSoFar.set(d.plan.name, d);
        save();
        setOutputs(startedReport(ctx, plans, revisions, [...startedSoFar.values()], changes));
      },
      refused(plan) {
        begun.delete(plan.name);
        save();
      },
    }),
  );

  let results: ServiceResult[] = [];
  let cancelled: boolean = signal.aborted;
  // Read beside the watch (and its rollback), never before UpdateService.
  const drains = drainDelays({ action: ACTION, region, maxAttempts: AWS_MAX_ATTEMPTS, signal });
  if (inputs.wait && start.started.length) {
    try {
      results = await group('Watch and verify', () =>
        watchAndVerify({ ecs, answerer: registrar }, inputs, start.started, ctx.signal, drains),
      );
    } catch (error) {
      if (error instanceof PollCancelledError) cancelled = true;
      else results = watchFailed(start.started, error);
    }
  }
  const failed = results.filter((r) => r.outcome === 'failed' || r.outcome === 'timed-out');
  const anyFailure = failed.length > 0 || start.failures.length > 0 || results.some((r) => r.outcome === 'interrupted');
  // The explanation is gathered while the rollback runs: neither waits for the other, and it never stops a rollback.
  const explaining = failed.length
    ? explain(ctx, failed).catch((error: unknown) => [`The failure could not be explained: ${describeError(error)}`])
    : Promise.resolve([]);
  let rollbacks: RollbackResult[] = [];
  if (anyFailure && inputs.autoRollback && !cancelled) {
    try {
      rollbacks = await group('Roll back', () =>
        rollBack(ecs, inputs.cluster, rollbackRequests(start), {
          timeoutMs: inputs.timeoutMs,
          signal: ctx.signal,
          eventStreams: new Map(start.started.map((d) => [d.plan.name, d.plan.events])),
          seen: decidingLook(results),
          drains,
        }),
      );
    } catch (error) {
      // Cancelled in the middle of the rollback: the post step finishes it from the saved state.
      if (!signal.aborted) throw error;
      cancelled = true;
    }
  }
  const explanation = await explaining;
  core.printUntrusted(explanation);
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
    const where = { region, cluster: inputs.cluster, rollbackOnCancel: inputs.rollbackOnCancel };
    throw new DeploymentFailure(cancelledMessage(where, [...begun.values()]));
  }
  markSettled();
  if (report.status !== 'succeeded' && report.status !== 'started') {
    const culprits = [...failed.map((r) => r.deployment.plan.name), ...start.failures.map((f) => f.plan.name)];
    throw new DeploymentFailure(failureMessage({ region, cluster: inputs.cluster }, report, culprits));
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
