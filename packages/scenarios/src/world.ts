import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ImageScenario } from '@shipyard/aws-sim/scenarios';
import { liveUrls, startSim, type Sim } from '@shipyard/aws-sim/server';
import {
  startRegistryStandIn,
  type RegistryStandIn,
} from '../../../actions/build-push/__tests__/fixtures/registry-stand-in';
import type { GithubContext, RunnerHost } from './model';
import { runWorkflow, type RunWorkflowOptions } from './workflow';

// A machine for running workflows locally: aws-sim on a free loopback port, the build-push tests' docker SHIM on
// PATH (there is no Docker engine: a "build" pushes a synthetic image into the sim's ECR through the registry
// stand-in), the caller's repository, and "DNS" that sends the workflows' public URLs to the sim's live endpoints.

export const SHIPYARD_ROOT = resolve(__dirname, '../../..');
const DOCKER_SHIM = join(SHIPYARD_ROOT, 'actions/build-push/__tests__/fixtures/docker-shim.mjs');

/** Where a public host is served in the sim: a service's production listener, or its test listener. */
export interface HostRoute {
  cluster: string;
  service: string;
  listener?: 'production' | 'test';
}

export interface WorldOptions {
  /** aws-sim seed document (e.g. an example's scenario.json). */
  seed?: Record<string, unknown>;
  scenarios?: ImageScenario[];
  /** Simulated seconds per real second. */
  timeScale: number;
  /** Folders merged (in order) into the caller's repository. */
  repositoryFrom: string[];
  /** Extra files of the caller's repository, path → content (e.g. Dockerfiles of the build contexts). */
  files?: Record<string, string>;
  /** `host[:port]` → where the sim serves it. */
  routes?: Record<string, HostRoute>;
  stepTimeoutMs?: number;
  environmentSecrets?: RunnerHost['environmentSecrets'];
  /** Hooks of the runner host (see RunnerHost). */
  hooks?: Pick<RunnerHost, 'overrideScript' | 'actionInputs' | 'afterStep'>;
}

export interface WorldRunOptions extends Pick<RunWorkflowOptions, 'inputs' | 'secrets'> {
  /** Differences from a push to main of `acme/app` (see githubContext). */
  github?: Partial<GithubContext>;
}

export interface World {
  sim: Sim;
  standIn: RegistryStandIn;
  host: RunnerHost;
  /** The sim URL a public URL is routed to (unchanged when no route matches). */
  route(url: string): string;
  /** Runs a workflow file of the caller's repository (or ours) on this machine. */
  run(file: string, options: WorldRunOptions): ReturnType<typeof runWorkflow>;
  close(): Promise<void>;
}

export function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** A push to main of `acme/<name>` at `sha`, as the `github` context and GITHUB_* variables describe it. */
export function githubContext(sim: Sim, overrides: Partial<GithubContext> = {}): GithubContext {
  const sha = overrides.sha ?? '6dcb09b5b57875f334f61aebed695e2e4193db5e';
  return {
    repository: 'acme/app',
    sha,
    ref: 'refs/heads/main',
    ref_name: 'main',
    event_name: 'push',
    actor: 'octocat',
    run_id: '1000000001',
    run_attempt: '1',
    token: 'ghs_localrunnertoken',
    workflow: 'Deploy',
    server_url: 'https://github.com',
    api_url: sim.endpoint,
    event: {},
    ...overrides,
  };
}

function rewriter(sim: Sim, routes: Record<string, HostRoute>): (text: string) => string {
  return (text) =>
    text.replace(/https?:\/\/([A-Za-z0-9.-]+(?::\d+)?)/g, (match, host: string) => {
      const route = routes[host];
      if (!route) return match;
      const urls = liveUrls(sim, route.cluster, route.service);
      return route.listener === 'test' ? urls.test : urls.production;
    });
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const sim = await startSim({ timeScale: options.timeScale, scenarios: options.scenarios, seed: options.seed });
  const standIn = await startRegistryStandIn(sim);
  const home = mkdtempSync(join(tmpdir(), 'shipyard-world-'));
  const bin = join(home, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'docker'), `#!/bin/sh\nexec "${process.execPath}" "${DOCKER_SHIM}" "$@"\n`);
  chmodSync(join(bin, 'docker'), 0o755);
  const dockerLog = join(home, 'docker-calls.jsonl');
  writeFileSync(dockerLog, '');
  const repository = join(home, 'repository');
  for (const from of options.repositoryFrom) cpSync(from, repository, { recursive: true });
  for (const [path, content] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(repository, path)), { recursive: true });
    writeFileSync(join(repository, path), content);
  }
  const route = rewriter(sim, options.routes ?? {});
  const hooks = options.hooks ?? {};
  const host: RunnerHost = {
    shipyardRoot: SHIPYARD_ROOT,
    repository,
    artifacts: join(home, 'artifacts'),
    env: {
      ...sim.env,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      DOCKER_SHIM_LOG: dockerLog,
      DOCKER_SHIM_PUSH_URL: standIn.url,
    },
    stepTimeoutMs: options.stepTimeoutMs,
    environmentSecrets: options.environmentSecrets,
    overrideScript: hooks.overrideScript,
    actionInputs: (action, inputs, info) => {
      const routed = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, route(value)]));
      return hooks.actionInputs?.(action, routed, info) ?? routed;
    },
    afterStep: hooks.afterStep,
  };
  return {
    sim,
    standIn,
    host,
    route,
    run: (file, { github, ...rest }) =>
      runWorkflow({ ...rest, file: resolve(repository, file), host, github: githubContext(sim, github) }),
    async close() {
      await standIn.close();
      await sim.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
