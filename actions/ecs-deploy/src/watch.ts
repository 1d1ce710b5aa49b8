import * as core from '@shipyard/platform/core';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  type ECSClient,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { formatDuration } from '@shipyard/platform/duration';
import type { DeploymentTarget, Verdict } from '@shipyard/ecs/deployments';
import type { DrainDelays } from '@shipyard/ecs/drain';
import { isInFlightStatus } from '@shipyard/ecs/rollback/target';
import { eventLine, progressLine, watchDeployments, type WatchedDeployment } from '@shipyard/ecs/watch';
import { describeError } from '@shipyard/platform/errors';
import { PollCancelledError, PollTimeoutError, retryPassing } from '@shipyard/platform/poll';
import { describeExpectation, verifyUrls, type VerifyResult } from '@shipyard/ecs/verify';
import type { Inputs } from './inputs';
import { TEST_PAUSE_STAGE } from './plan';
import type { StartedDeployment } from './update';

/** How long a hook's answer is repeated after passing faults while the hook still waits (a PAUSE hook times out
 * after its own timeout, minutes by default). */
const HOOK_ANSWER_PATIENCE_MS = 15_000;

/** `interrupted`: no verdict of its own; the watch ended because another service failed (all are rolled back). */
export type WatchOutcome = 'succeeded' | 'failed' | 'timed-out' | 'interrupted';

export interface ServiceResult {
  deployment: StartedDeployment;
  outcome: WatchOutcome;
  /** Why it failed, in one line. */
  reason?: string;
  last?: WatchedDeployment;
  verification: { test?: VerifyResult; production?: VerifyResult };
}

/**
 * Follows one service's deployment: starts the test-URL check when the test listener serves the new revision
 * (answering a PAUSE hook with CONTINUE or ROLLBACK), and the production check during bake time (blue/green,
 * stopping the deployment with ROLLBACK on failure) or once the rollout completed (rolling).
 */
class ServiceWatch {
  readonly verification: ServiceResult['verification'] = {};
  failure?: string;
  last?: WatchedDeployment;
  private readonly checks: Promise<void>[] = [];
  private pending = 0;
  private testStarted = false;
  private testResult?: VerifyResult | 'skipped';
  private hookAnswered = false;
  private productionStarted = false;
  private lastProgress = '';
  private readonly foreignHooks = new Set<string>();
  readonly abort = new AbortController();

  constructor(
    private readonly ecs: ECSClient,
    /** Makes one attempt per call: a hook's answer is repeated only after a look at the hook. */
    private readonly answerer: ECSClient,
    private readonly inputs: Inputs,
    readonly deployment: StartedDeployment,
    /** Called when a check or a call of this watch finished: what it did should be seen at once. */
    private readonly onSettled: () => void,
  ) {}

  get name(): string {
    return this.deployment.plan.name;
  }

  /** Failed, with nothing left for this watch to do (a failed check still owes the PAUSE hook its ROLLBACK). */
  get failed(): boolean {
    if (this.last?.verdict.state === 'failed') return true;
    const owesHookAnswer = this.deployment.plan.pausesForTest && this.testResult !== undefined && !this.hookAnswered;
    return this.failure !== undefined && this.pending === 0 && !owesHookAnswer;
  }

  settled(verdict: Verdict): boolean {
    return verdict.state !== 'in-progress' && this.pending === 0;
  }

  update(watched: WatchedDeployment): void {
    this.last = watched;
    const line = progressLine(watched.snapshot);
    if (line !== this.lastProgress) core.info(`${this.name}: ${(this.lastProgress = line)}`);
    const sd = watched.snapshot.serviceDeployment;
    const { verify } = this.inputs;
    if (this.deployment.plan.strategy === 'ROLLING') {
      if (verify.urls.length && watched.verdict.state === 'succeeded' && !this.productionStarted)
        this.startProduction(undefined);
      return;
    }
    const awaiting = sd?.lifecycleHookDetails?.find((h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION');
    const atTestStage = sd?.lifecycleStage === TEST_PAUSE_STAGE && isInFlightStatus(sd.status);
    if (atTestStage && !this.testStarted) this.startTest(sd);
    if (awaiting?.hookId && atTestStage && this.testResult && !this.hookAnswered) {
      this.hookAnswered = true;
      const passed = this.testResult === 'skipped' || this.testResult.passed;
      const why =
        this.testResult === 'skipped' ? 'no test URL to check' : (this.testResult.reason ?? 'the test check passed');
      const arn = sd?.serviceDeploymentArn as string;
      this.track(() => this.continueHook(arn, awaiting.hookId as string, passed ? 'CONTINUE' : 'ROLLBACK', why));
    } else if (awaiting?.hookId && !atTestStage && !this.foreignHooks.has(awaiting.hookId)) {
      this.foreignHooks.add(awaiting.hookId);
      core.info(
        `${this.name}: a PAUSE hook waits at ${sd?.lifecycleStage}; Shipyard only answers the one at ${TEST_PAUSE_STAGE}`,
      );
    }
    const baking = sd?.lifecycleStage === 'BAKE_TIME' || watched.verdict.state === 'succeeded';
    if (verify.urls.length && baking && !this.productionStarted && watched.verdict.state !== 'failed') {
      this.startProduction(sd);
    }
  }

  private track(check: () => Promise<void>): void {
    this.pending++;
    this.checks.push(
      check()
        .catch((error: unknown) => {
          if (!(error instanceof PollCancelledError)) this.failure ??= describeError(error);
        })
        .finally(() => {
          this.pending--;
          this.onSettled();
        }),
    );
  }

  private async verify(kind: 'test' | 'production', urls: string[], bakeMs?: number): Promise<VerifyResult> {
    const { verify } = this.inputs;
    const successes = bakeMs ? Math.max(verify.successes, Math.ceil(bakeMs / verify.intervalMs)) : verify.successes;
    core.info(
      `${this.name}: checking the ${kind} URL${urls.length > 1 ? 's' : ''} for ${describeExpectation(verify.expectation)}, ${successes} times in a row`,
    );
    const result = await verifyUrls({
      urls,
      expectation: verify.expectation,
      successes,
      failures: verify.successes,
      intervalMs: verify.intervalMs,
      timeoutMs: verify.timeoutMs + (bakeMs ?? 0),
      signal: this.abort.signal,
      onRound: (round, checks) => {
        const bad = checks.find((c) => !c.outcome.ok);
        const text = bad && !bad.outcome.ok ? `${bad.url}: ${bad.outcome.reason}` : 'ok';
        core.info(`${this.name}: ${kind} check ${round}: ${text}`);
      },
    });
    this.verification[kind] = result;
    if (result.passed) core.info(`${this.name}: the ${kind} check passed`);
    else this.failure ??= `the ${kind} check failed: ${result.reason}`;
    return result;
  }

  /** Checks the test URLs; a PAUSE hook is answered by update() once both the result and the hook are there. */
  private startTest(sd: ServiceDeployment): void {
    this.testStarted = true;
    const urls = this.inputs.verify.testUrls;
    if (urls.length === 0) {
      this.testResult = 'skipped';
      return;
    }
    this.track(async () => {
      const result = await this.verify('test', urls);
      this.testResult = result;
      if (!result.passed && !this.deployment.plan.pausesForTest)
        await this.stopWithRollback(sd.serviceDeploymentArn as string);
    });
  }

  private startProduction(sd: ServiceDeployment | undefined): void {
    this.productionStarted = true;
    const rollingBake = this.deployment.plan.strategy === 'ROLLING' ? this.inputs.bakeTimeMs : undefined;
    this.track(async () => {
      const result = await this.verify('production', this.inputs.verify.urls, rollingBake);
      const arn = sd?.serviceDeploymentArn;
      if (!result.passed && arn && this.last?.verdict.state === 'in-progress') await this.stopWithRollback(arn);
    });
  }

  private async continueHook(arn: string, hookId: string, action: 'CONTINUE' | 'ROLLBACK', why: string): Promise<void> {
    core.info(`${this.name}: ContinueServiceDeployment ${action} (${why})`);
    // An answer may be lost after ECS took it (a dropped connection, a timeout), so it is never sent again blindly:
    // ECS's view of the hook decides. No longer waiting, it was taken (or ECS moved on by itself: the watch judges
    // what followed); still waiting after a passing fault, it is answered again with poll's back-off.
    const answerOnce = async () => {
      try {
        await this.answerer.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action }));
      } catch (error) {
        if (await this.hookAwaits(arn, hookId).catch(() => true)) throw error;
        core.info(`${this.name}: the hook no longer waits (${describeError(error)}); ECS's view decides`);
      }
    };
    await retryPassing(answerOnce, {
      timeoutMs: HOOK_ANSWER_PATIENCE_MS,
      signal: this.abort.signal,
      onPassingError: (error) =>
        core.info(`${this.name}: ${describeError(error)}; the hook still waits, answering again`),
    });
  }

  private async hookAwaits(arn: string, hookId: string): Promise<boolean> {
    const response = await this.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
    const sd = response.serviceDeployments?.[0];
    if (!sd) return true;
    const hook = sd.lifecycleHookDetails?.find((h) => h.hookId === hookId);
    return isInFlightStatus(sd.status) && hook?.status === 'AWAITING_ACTION';
  }

  private async stopWithRollback(arn: string): Promise<void> {
    core.info(`${this.name}: StopServiceDeployment ROLLBACK (both revisions still run, traffic moves back at once)`);
    await this.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
  }

  async drain(): Promise<void> {
    this.abort.abort(new Error('the watch ended'));
    await Promise.all(this.checks);
  }
}

function toResult(watch: ServiceWatch, timedOut: string | undefined): ServiceResult {
  const verdict = watch.last?.verdict;
  const base = { deployment: watch.deployment, last: watch.last, verification: watch.verification };
  if (verdict?.state === 'failed') return { ...base, outcome: 'failed', reason: watch.failure ?? verdict.reason };
  if (watch.failure) return { ...base, outcome: 'failed', reason: watch.failure };
  if (verdict?.state === 'succeeded') return { ...base, outcome: 'succeeded' };
  if (timedOut) return { ...base, outcome: 'timed-out', reason: timedOut };
  return { ...base, outcome: 'interrupted', reason: 'not finished when another service failed' };
}

/**
 * Watches and verifies every started deployment. With auto-rollback, the first failure ends the watch for all (they
 * are all rolled back). Throws PollCancelledError when the run is cancelled.
 */
export async function watchAndVerify(
  clients: { ecs: ECSClient; answerer: ECSClient },
  inputs: Inputs,
  started: StartedDeployment[],
  signal: AbortSignal,
  drains?: DrainDelays,
): Promise<ServiceResult[]> {
  const { ecs, answerer } = clients;
  let wakeUp = () => {};
  const watches = new Map(
    started.map((d) => [d.plan.name, new ServiceWatch(ecs, answerer, inputs, d, () => wakeUp())]),
  );
  const failFast = () => inputs.autoRollback && [...watches.values()].some((w) => w.failed);
  let timedOut: string | undefined;
  try {
    await watchDeployments({
      ecs,
      cluster: inputs.cluster,
      targets: started.map((d) => d.target),
      timeoutMs: inputs.timeoutMs,
      signal,
      eventStreams: new Map(started.map((d) => [d.plan.name, d.plan.events])),
      onEvent: (service, event) => core.info(eventLine(service, event)),
      onUpdate: (target: DeploymentTarget, watched) => watches.get(target.service)?.update(watched),
      isSettled: (target, verdict) => failFast() || (watches.get(target.service)?.settled(verdict) ?? true),
      wake: (wake) => (wakeUp = wake),
      drains,
      waitingFor: started.length > 1 ? `${started.length} deployments` : `the deployment of ${started[0].plan.name}`,
    });
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) {
      await Promise.all([...watches.values()].map((w) => w.drain()));
      throw error;
    }
    timedOut = `timed out after ${formatDuration(inputs.timeoutMs)}`;
  }
  await Promise.all([...watches.values()].map((w) => w.drain()));
  return [...watches.values()].map((watch) => {
    const result = toResult(watch, timedOut);
    if (result.outcome === 'timed-out' && watch.last)
      result.reason = `${timedOut} (${progressLine(watch.last.snapshot)})`;
    return result;
  });
}
