import { readFileSync } from 'node:fs';

/**
 * What a container does is decided by the image it runs, as in reality. A scenario maps an image reference
 * (exact, or a glob where `*` matches any run of characters) to behaviour. Unknown images are healthy.
 */
export interface ImageScenario {
  /** Image reference or glob, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2` or `*:broken-*`. */
  image: string;
  /** ECS cannot place a task running this image (e.g. "Capacity is unavailable at this time…"): RunTask answers it
   * in `failures[]`, a service posts "was unable to place a task" and retries. */
  placementFailure?: string;
  /** `fail`: the image cannot be pulled (task goes PENDING → STOPPED, no exit code). */
  pull?: 'ok' | 'fail';
  /** Seconds from PENDING to RUNNING (default 10). */
  startSeconds?: number;
  /** `unhealthy`: the container health check / load balancer health check fails. */
  health?: 'healthy' | 'unhealthy';
  /** Seconds after RUNNING before a health check verdict (default 15). */
  healthCheckSeconds?: number;
  /** The container exits on its own with this code after this many seconds of running. */
  crash?: { exitCode: number; afterSeconds: number };
  /** As a one-off task (RunTask), the container exits with this code after this many seconds (default for essential
   * containers: 0 after 20; a non-essential sidecar without `oneOff` runs until the task stops). */
  oneOff?: { exitCode: number; afterSeconds: number };
  /** Lines the container writes to its log (awslogs driver), spread over its run. */
  logs?: string[];
  /** What the app answers over HTTP when it receives traffic. `body` may use {{tag}} and {{image}}. */
  http?: { status?: number; body?: string; paths?: Record<string, { status?: number; body?: string }> };
  /** ECR image scan findings for this image. */
  findings?: { name: string; severity: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' | 'UNDEFINED' }[];
  /** Seconds an image scan takes (default 20). */
  scanSeconds?: number;
}

const HEALTHY: ImageScenario = { image: '*' };

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export class ScenarioRegistry {
  private readonly entries: { scenario: ImageScenario; pattern: RegExp }[] = [];

  /** Later registrations win over earlier ones, so a test can override a seed file. */
  add(...scenarios: ImageScenario[]): void {
    for (const scenario of scenarios) {
      if (!scenario.image) throw new Error('a scenario needs an "image" reference or glob');
      this.entries.unshift({ scenario, pattern: globToRegExp(scenario.image) });
    }
  }

  loadFile(path: string): void {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { scenarios?: ImageScenario[] } | ImageScenario[];
    this.add(...(Array.isArray(doc) ? doc : (doc.scenarios ?? [])));
  }

  find(imageRef: string): ImageScenario {
    return this.entries.find((e) => e.pattern.test(imageRef))?.scenario ?? HEALTHY;
  }

  list(): ImageScenario[] {
    return this.entries.map((e) => e.scenario);
  }
}

/** The tag of an image reference (`repo:tag` → `tag`; digest references → the digest). */
export function imageTag(imageRef: string): string {
  const at = imageRef.indexOf('@');
  if (at >= 0) return imageRef.slice(at + 1);
  const lastSlash = imageRef.lastIndexOf('/');
  const colon = imageRef.indexOf(':', lastSlash + 1);
  return colon >= 0 ? imageRef.slice(colon + 1) : 'latest';
}
