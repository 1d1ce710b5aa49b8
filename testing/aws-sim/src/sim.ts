/**
 * What a running sim offers its starter: the endpoint, the variables for a child process, and control over the
 * simulated account. Apart from server.ts, which builds them, so the modules the server uses can name them too.
 */
import type { SimClock } from './clock';
import type { ImageScenario } from './scenarios';
import type { FaultRule, FiredFault, RequestFilter, World } from './world';

export interface SimControl {
  world: World;
  clock: SimClock;
  addScenarios(...scenarios: ImageScenario[]): void;
  seed(doc: Record<string, unknown>): void;
  requests(filter?: RequestFilter): ReturnType<World['findRequests']>;
  /** Mutating calls (anything but Describe/List/Get/BatchGet/Filter), optionally filtered. */
  mutatingRequests(filter?: Omit<RequestFilter, 'mutating'>): ReturnType<World['findRequests']>;
  clearRequests(): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Calls `listener` whenever a fault rule fires (same process only); returns the unsubscribe function. */
  onFault(listener: (fired: FiredFault) => void): () => void;
  milestones(kind?: string): World['milestones'];
  /** Manual clock only: moves time forward and runs what became due. */
  advance(ms: number): void;
}

export interface Sim {
  endpoint: string;
  /** Environment for a process that should talk to the sim (SDK, AWS CLI, GitHub API). */
  env: Record<string, string>;
  control: SimControl;
  close(): Promise<void>;
}

/** How an SDK client in a test talks to the sim: its endpoint and the credentials it hands to child processes. */
export function sdkClientConfig(
  sim: Pick<Sim, 'endpoint' | 'env'>,
  region: string,
): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } } {
  return {
    endpoint: sim.endpoint,
    region,
    credentials: { accessKeyId: sim.env.AWS_ACCESS_KEY_ID, secretAccessKey: sim.env.AWS_SECRET_ACCESS_KEY },
  };
}
