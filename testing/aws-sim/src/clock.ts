/**
 * Simulated time. State in the sim is driven by a clock that either runs faster than real time (a "5-minute"
 * rollout takes ~1 s with timeScale 300) or is advanced by hand in tests, so outcomes are deterministic.
 */
export interface SimClock {
  /** Current simulated time, epoch milliseconds. */
  now(): number;
  /** The real (wall-clock) epoch milliseconds at which a simulated instant happens(ed). */
  toRealTime(simTime: number): number;
}

export class ScaledClock implements SimClock {
  private readonly realStart = Date.now();
  private readonly perfStart = performance.now();

  constructor(
    readonly timeScale = 1,
    private readonly simStart = Date.now(),
  ) {
    if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
  }

  now(): number {
    return Math.floor(this.simStart + (performance.now() - this.perfStart) * this.timeScale);
  }

  toRealTime(simTime: number): number {
    return this.realStart + (simTime - this.simStart) / this.timeScale;
  }
}

/** A clock that only moves when told to: for deterministic tests. */
export class ManualClock implements SimClock {
  constructor(private time = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('ManualClock cannot go backwards');
    this.time += ms;
  }

  toRealTime(simTime: number): number {
    return simTime;
  }
}
