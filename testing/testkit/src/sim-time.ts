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
 * starts it when the action reports that it has seen the state it must see (e.g. from `runAction`'s `onLine`).
 */
export class HeldClock implements SimClock {
  private started: { realTime: number; perfTime: number } | undefined;

  constructor(
    readonly timeScale: number,
    private readonly simStart = Date.now(),
  ) {
    if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
  }

  get isRunning(): boolean {
    return this.started !== undefined;
  }

  /** Lets time run from now on; later calls change nothing. */
  start(): void {
    this.started ??= { realTime: Date.now(), perfTime: performance.now() };
  }

  now(): number {
    if (!this.started) return this.simStart;
    return Math.floor(this.simStart + (performance.now() - this.started.perfTime) * this.timeScale);
  }

  toRealTime(simTime: number): number {
    // While held, every simulated instant that can have happened is the present one.
    if (!this.started) return Date.now();
    return this.started.realTime + (simTime - this.simStart) / this.timeScale;
  }
}

export interface RequestMatch {
  service?: string;
  operation?: string;
}

/**
 * Calls `listener` as aws-sim receives each matching request, before it handles it: the moment to move a manual
 * clock when an action polls or retries, so the request sees the state the move produced. Returns the unsubscribe
 * function. Built on the sim's fault hooks: a fault rule without any effect still tells the listeners it matched.
 */
export function beforeEachRequest(sim: Sim, match: RequestMatch, listener: () => void): () => void {
  sim.control.addFault({ ...match });
  // addFault stores a copy: the rule to recognise is the one now last in the list.
  const rule = sim.control.world.faults.at(-1);
  const unsubscribe = sim.control.onFault((fired) => {
    if (fired.rule === rule) listener();
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
