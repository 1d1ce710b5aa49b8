/**
 * Simulated time tied to what the action does rather than to how fast the machine runs it. A test whose action
 * must see a state before time moves it on (a deployment still in flight when the action first looks, a batch still
 * in progress when the next one is sent) cannot let aws-sim's clock run from the start: on a loaded machine the
 * action starts late and finds the state already gone. These clocks move only at the action's own milestones.
 */
import type { SimClock } from '@shipyard/aws-sim/clock';
import type { Sim } from '@shipyard/aws-sim/server';

/**
 * Stands still until start(), then runs `timeScale` times faster than real time, like aws-sim's ScaledClock. A test
 * starts it when the action reports that it has seen the state it must see (e.g. from `runAction`'s `onLine`), and
 * may hold it again until the action has acted on a state (hold(), then start()). With a step limit, time moves at
 * most that far between two marks (a test marks each request aws-sim receives): a state that lasts longer than the
 * limit is then seen by at least one request, however late on a busy machine the requests come.
 */
export class HeldClock implements SimClock {
  /** The simulated instant at the last mark, and the real moments it was taken at. */
  private anchor: { sim: number; perf: number; real: number };
  private running = false;
  private maxStepMs = Infinity;

  constructor(
    readonly timeScale: number,
    simStart = Date.now(),
  ) {
    if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
    this.anchor = { sim: simStart, perf: performance.now(), real: Date.now() };
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Lets time run from now on; while it runs, later calls change nothing. */
  start(): void {
    if (this.running) return;
    this.mark();
    this.running = true;
  }

  /** Stops time where it is, until start(). */
  hold(): void {
    this.mark();
    this.running = false;
  }

  /** Time moves at most `ms` between two marks from now on (undefined: no limit). */
  limitSteps(ms: number | undefined): void {
    this.mark();
    this.maxStepMs = ms ?? Infinity;
  }

  /** Where the step limit counts from. */
  mark(): void {
    this.anchor = { sim: this.now(), perf: performance.now(), real: Date.now() };
  }

  now(): number {
    if (!this.running) return this.anchor.sim;
    const elapsed = (performance.now() - this.anchor.perf) * this.timeScale;
    return Math.floor(this.anchor.sim + Math.min(elapsed, this.maxStepMs));
  }

  toRealTime(simTime: number): number {
    // While held, every simulated instant from the one it stands at is the present one.
    if (!this.running && simTime >= this.anchor.sim) return Date.now();
    return this.anchor.real + (simTime - this.anchor.sim) / this.timeScale;
  }
}

export interface RequestMatch {
  service?: string;
  operation?: string;
}

/**
 * Calls `listener` with each matching request's service and operation as aws-sim receives it, before it handles it:
 * the moment to move a manual clock when an action polls or retries, so the request sees the state the move
 * produced. Returns the unsubscribe function. Built on the sim's fault hooks: a fault rule without any effect still
 * tells the listeners it matched.
 */
export function beforeEachRequest(
  sim: Sim,
  match: RequestMatch,
  listener: (request: Required<RequestMatch>) => void,
): () => void {
  sim.control.addFault({ ...match });
  // addFault stores a copy: the rule to recognise is the one now last in the list.
  const rule = sim.control.world.faults.at(-1);
  const unsubscribe = sim.control.onFault((fired) => {
    if (fired.rule === rule) listener({ service: fired.service, operation: fired.operation });
  });
  return () => {
    unsubscribe();
    const index = sim.control.world.faults.indexOf(rule!);
    if (index >= 0) sim.control.world.faults.splice(index, 1);
  };
}

/** Moves a manual clock to the next event aws-sim has scheduled (an invalidation completing, a task stopping). */
export function advanceToNextEvent(sim: Sim): void {
  const next = sim.control.world.nextEventTime();
  if (next !== undefined) sim.control.advance(Math.max(0, next - sim.control.clock.now()));
}
