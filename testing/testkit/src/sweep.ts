/**
 * The fault-point sweep: run a scenario once clean and record its AWS calls, then re-run it on a fresh world with
 * exactly one fault at each call from the first mutating one on (a denial, a proxy's non-JSON 5xx, a dropped
 * connection, a request never answered, throttling that outlasts the SDK's retries, or a cancel while the call is in
 * flight), and check after main and post that the account is where it should be and the step told the truth.
 */
import type { Sim } from '@shipyard/aws-sim/server';
import type { FaultRule, RequestRecord } from '@shipyard/aws-sim/world';
import type { ActionRun, CancelOptions } from './run-action';
import { checkInvariants, headlineErrors, type Observation } from './sweep-invariants';

export type { Observation, Target } from './sweep-invariants';

export type FaultKind = 'denial' | 'proxy-5xx' | 'dropped-connection' | 'timeout' | 'throttling' | 'cancel';

export const FAULT_KINDS: readonly FaultKind[] = [
  'denial',
  'proxy-5xx',
  'dropped-connection',
  'timeout',
  'throttling',
  'cancel',
];

/** More than any Shipyard client's attempts (ecs-deploy makes 8), so every retry is throttled too. */
const THROTTLED_REQUESTS = 10;
/** How long the cancelled call stays in flight, so SIGINT lands while it is. */
const CANCEL_IN_FLIGHT_MS = 300;
/** Long enough for the actions' own request timeout (30 s, see packages/platform/src/aws.ts) to end a call that is never
 * answered and for the step to go on: the sweep checks that they recover, not that the runner kills them. */
const HANG_STEP_TIMEOUT_MS = 90_000;
const STEP_TIMEOUT_MS = 90_000;

/** The fault rule that makes `point` fail in the way `kind` says (cancel: only keeps the call in flight). */
function faultRule(point: CallRef, kind: FaultKind): FaultRule {
  const at = { service: point.service, operation: point.operation, nth: point.occurrence };
  switch (kind) {
    case 'denial':
      return { ...at, error: { code: 'AccessDeniedException', message: 'Injected: not authorized', status: 400 } };
    case 'proxy-5xx':
      return { ...at, proxyError: {} };
    case 'dropped-connection':
      // After AWS made the change: the hardest case, where the caller cannot tell whether it happened.
      return { ...at, dropConnection: true, afterApplying: true };
    case 'timeout':
      return { ...at, hang: true };
    case 'throttling':
      return { ...at, following: THROTTLED_REQUESTS - 1, throttleRate: 1 };
    case 'cancel':
      return { ...at, latencyMs: CANCEL_IN_FLIGHT_MS };
  }
}

/** A world for one run: a freshly seeded sim, how to run the action in it, and what "right" means there. */
export interface ScenarioWorld {
  sim: Sim;
  /** Runs main and post (runAction); the harness adds the cancel trigger and the step timeout. */
  run(options: { signalAfter?: CancelOptions; timeoutMs: number }): Promise<ActionRun>;
  /** Where every target is after the run, and anything only this scenario checks. */
  observe(run: ActionRun, calls: RequestRecord[]): Promise<Observation>;
  /** Whether a mutating call made after the failure (`failure`) is part of the way back (UpdateService to known-good, …). */
  isRestore(call: RequestRecord, failure: RequestRecord): boolean;
  close(): Promise<void>;
}

export interface SweepScenario {
  name: string;
  /** The kinds to sweep with; cancel only where a post step restores (ecs-deploy, migrate). */
  kinds: readonly FaultKind[];
  start(): Promise<ScenarioWorld>;
}

/** A call of the clean run: the nth (`occurrence`) request of this service and operation. */
export interface CallRef {
  /** 1-based position among all the run's calls. */
  position: number;
  service: string;
  operation: string;
  occurrence: number;
  mutating: boolean;
}

export interface SweepResult {
  scenario: string;
  /** Undefined for the clean run. */
  point?: CallRef;
  kind?: FaultKind;
  /** Whether the fault fired (a faulted run may make fewer calls than the clean one). */
  reached: boolean;
  exitCode: number | null;
  conclusion: string;
  violations: string[];
  /** The first error annotation of main (and of post), for reading the violations. */
  headline: string[];
  durationMs: number;
}

export interface SweepOptions {
  /** Only these kinds (intersected with the scenario's). */
  kinds?: readonly FaultKind[];
  /** One kind per point, taking turns through the kinds, instead of every kind at every point. */
  rotateKinds?: boolean;
  /** Sweep every `stride`-th point (default 1). */
  stride?: number;
  /** Also fault repeated reads (each poll), not only the first read of each operation after every mutating call. */
  everyCall?: boolean;
  /** Runs at the same time (default 1). */
  concurrency?: number;
  onResult?: (result: SweepResult) => void;
}

/** The clean run, then every fault point; results in plan order. */
export async function sweep(scenario: SweepScenario, options: SweepOptions = {}): Promise<SweepResult[]> {
  const clean = await runCase(scenario);
  options.onResult?.(clean.result);
  const kinds = scenario.kinds.filter((kind) => !options.kinds || options.kinds.includes(kind));
  const points = faultPoints(clean.calls, options.everyCall ?? false).filter(
    (_, index) => index % (options.stride ?? 1) === 0,
  );
  const cases = points.flatMap((point, index) =>
    options.rotateKinds ? [{ point, kind: kinds[index % kinds.length] }] : kinds.map((kind) => ({ point, kind })),
  );
  const results: SweepResult[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      const { result } = await runCase(scenario, cases[index], clean.calls);
      results[index] = result;
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 1, cases.length) }, worker));
  return [clean.result, ...results];
}

/**
 * The calls worth a fault: every call from the first mutating one on, except a read of an operation already read
 * since the last mutating call (a poll repeating itself fails the same way), unless `everyCall`.
 */
export function faultPoints(calls: RequestRecord[], everyCall: boolean): CallRef[] {
  const occurrences = new Map<string, number>();
  let readSinceMutation = new Set<string>();
  let mutated = false;
  const points: CallRef[] = [];
  calls.forEach((call, index) => {
    const key = `${call.service} ${call.operation}`;
    const occurrence = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, occurrence);
    if (call.mutating) {
      mutated = true;
      readSinceMutation = new Set();
    } else if (!mutated || (readSinceMutation.has(key) && !everyCall)) return;
    readSinceMutation.add(key);
    const { service, operation, mutating } = call;
    points.push({ position: index + 1, service, operation, occurrence, mutating });
  });
  return points;
}

async function runCase(
  scenario: SweepScenario,
  fault?: { point: CallRef; kind: FaultKind },
  cleanCalls: RequestRecord[] = [],
): Promise<{ result: SweepResult; calls: RequestRecord[] }> {
  const started = Date.now();
  const world = await scenario.start();
  try {
    const firstSeq = world.sim.control.requests().at(-1)?.seq ?? 0;
    let signalAfter: CancelOptions | undefined;
    let fired = false;
    if (fault) {
      const rule = faultRule(fault.point, fault.kind);
      const reached = new Promise<void>((resolve) =>
        world.sim.control.onFault(() => {
          fired = true;
          resolve();
        }),
      );
      if (fault.kind === 'cancel') signalAfter = { when: reached };
      world.sim.control.addFault(rule);
    }
    const timeoutMs = fault?.kind === 'timeout' ? HANG_STEP_TIMEOUT_MS : STEP_TIMEOUT_MS;
    const run = await world.run({ signalAfter, timeoutMs });
    const calls = world.sim.control.requests().filter((call) => call.seq > firstSeq);
    // The throttling window may outlast the action's calls; the harness's own reads must not meet it.
    world.sim.control.clearFaults();
    const observation = await world.observe(run, calls);
    const failure = fault && fired ? failurePoint(calls, fault.point, fault.kind, headlineErrors(run)) : undefined;
    const siblings = failure ? wave(cleanCalls, fault!.point) : [];
    const isSibling = (call: RequestRecord) =>
      call.operation === failure?.operation &&
      siblings.some((s) => JSON.stringify(s.params) === JSON.stringify(call.params));
    const violations = checkInvariants({
      run,
      calls,
      observation,
      failure,
      isRestore: (call, failed) => isSibling(call) || world.isRestore(call, failed),
    });
    if (fault?.kind !== 'timeout' && (run.timedOut || run.post?.timedOut)) {
      violations.push(`the ${run.timedOut ? 'main' : 'post'} step hung until the runner's timeout`);
    }
    return {
      calls,
      result: {
        scenario: scenario.name,
        point: fault?.point,
        kind: fault?.kind,
        reached: !fault || fired,
        exitCode: run.exitCode,
        conclusion: run.conclusion,
        violations,
        headline: headlineErrors(run),
        durationMs: Date.now() - started,
      },
    };
  } finally {
    await world.close();
  }
}

/**
 * The call after which the action knew something failed: the last faulted request, unless the fault was absorbed —
 * the SDK's retry of it succeeded, or (for faults a client can recover from: not a cancel or a hang) the action read
 * the outcome back and went on, so its first error does not name the faulted call. For a cancel, the call in flight.
 */
function failurePoint(
  calls: RequestRecord[],
  point: CallRef,
  kind: FaultKind,
  headlines: string[],
): RequestRecord | undefined {
  const same = calls.filter((call) => call.service === point.service && call.operation === point.operation);
  const faulted = same[point.occurrence - 1];
  if (!faulted) return undefined;
  const lastInjected = same.filter((call) => call.injected).at(-1) ?? faulted;
  // The same request again (calls for other subjects may run side by side in between).
  const params = JSON.stringify(lastInjected.params);
  const retry = same.find((call) => call.seq > lastInjected.seq && JSON.stringify(call.params) === params);
  const retried = lastInjected.injected && retry !== undefined && retry.status > 0 && retry.status < 300;
  const recoverable = kind !== 'cancel' && kind !== 'timeout';
  const recovered = recoverable && !headlines.some((headline) => headline.includes(`:${point.operation} failed`));
  return retried || recovered ? undefined : lastInjected;
}

/**
 * The calls the action sent together with the faulted one: in the clean run, the unbroken run of calls of the same
 * operation around it (one Promise.all, e.g. an UpdateService per service). They were on their way before the
 * answer came, so they do not count as changes made after the failure.
 */
export function wave(cleanCalls: RequestRecord[], point: CallRef): RequestRecord[] {
  const index = point.position - 1;
  if (cleanCalls[index]?.operation !== point.operation) return [];
  let first = index;
  let last = index;
  while (first > 0 && cleanCalls[first - 1].operation === point.operation) first--;
  while (last < cleanCalls.length - 1 && cleanCalls[last + 1].operation === point.operation) last++;
  return cleanCalls.slice(first, last + 1);
}
