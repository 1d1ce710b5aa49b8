import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { SimClock } from '@shipyard/aws-sim/clock';
import type { ImageScenario } from '@shipyard/aws-sim/scenarios';
import { liveUrls, startSim, type Sim } from '@shipyard/aws-sim/server';
import {
  DOCKER_CLIENT_DIR,
  startRegistryStandIn,
  type RegistryStandIn,
} from '@shipyard/testkit/fixtures/build-push/registry-stand-in';
import type { GithubContext, RunnerHost } from './model';
import { runWorkflow, type RunWorkflowOptions } from './workflow';

// A machine for running workflows locally: aws-sim on a free loopback port, the build-push tests' `docker` on PATH
// (there is no Docker engine: it is a client of the registry stand-in, where a "build" pushes a synthetic image into
// the sim's ECR), an `aws` CLI stand-in for `aws s3 sync` (aws-sim has no S3: buckets are folders), the caller's
// repository, and "DNS" that sends the workflows' public URLs to the sim's live endpoints.

export const SHIPYARD_ROOT = resolve(__dirname, '../../..');
const AWS_CLI_STAND_IN = join(__dirname, 'aws-cli-stand-in.mjs');

/**
 * Where a public host is served: a service's production or test listener in the sim, or another local URL (a stand-in
 * for what runs outside ECS, e.g. a Lambda API).
 */
export type HostRoute = { cluster: string; service: string; listener?: 'production' | 'test' } | { url: string };

export interface WorldOptions {
  /** aws-sim seed document (e.g. an example's scenario.json). */
  seed?: Record<string, unknown>;
  scenarios?: ImageScenario[];
  /** Simulated seconds per real second. */
  timeScale: number;
  /** A clock of the test's own instead (timeScale is then ignored). */
  clock?: SimClock;
  /** Folders merged (in order) into the caller's repository. */
  repositoryFrom: string[];
  /** Extra files of the caller's repository, path → content (e.g. Dockerfiles of the build contexts). */
  files?: Record<string, string>;
  /** `host[:port]` → where the sim serves it. */
  routes?: Record<string, HostRoute>;
  stepTimeoutMs?: number;
  environmentSecrets?: RunnerHost['environmentSecrets'];
  /** Hooks of the runner host (see RunnerHost). */
  hooks?: Pick<RunnerHost, 'overrideScript' | 'actionInputs' | 'onActionLine' | 'afterStep'>;
}

export interface WorldRunOptions extends Pick<RunWorkflowOptions, 'inputs' | 'secrets'> {
  /** Differences from a push to main of `acme/app` (see githubContext). */
  github?: Partial<GithubContext>;
}

export interface World {
  sim: Sim;
  standIn: RegistryStandIn;
  host: RunnerHost;
  /** The local URL a public URL is routed to (unchanged when no route matches). */
  route(url: string): string;
  /** Runs a workflow file of the caller's repository (or ours) on this machine. */
  run(file: string, options: WorldRunOptions): ReturnType<typeof runWorkflow>;
  /** What `aws s3 sync` put in a bucket: its files (relative paths, sorted) and their contents. */
  bucket(name: string): Record<string, string>;
  /** The argv of every `aws` and `docker` call so far. */
  calls(tool: 'aws' | 'docker'): string[][];
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
      if ('url' in route) return route.url.replace(/\/+$/, '');
      const urls = liveUrls(sim, route.cluster, route.service);
      return route.listener === 'test' ? urls.test : urls.production;
    });
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const sim = await startSim({
    timeScale: options.timeScale,
    clock: options.clock,
    scenarios: options.scenarios,
    seed: options.seed,
  });
  const standIn = await startRegistryStandIn(sim);
  const home = mkdtempSync(join(tmpdir(), 'shipyard-world-'));
  const bin = join(home, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'aws'), `#!/bin/sh\nexec "${process.execPath}" "${AWS_CLI_STAND_IN}" "$@"\n`);
  chmodSync(join(bin, 'aws'), 0o755);
  const logs = { docker: join(home, 'docker-calls.jsonl'), aws: join(home, 'aws-calls.jsonl') };
  Object.values(logs).forEach((log) => writeFileSync(log, ''));
  const s3 = join(home, 's3');
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
      PATH: `${bin}:${DOCKER_CLIENT_DIR}:${process.env.PATH ?? ''}`,
      DOCKER_SHIM_LOG: logs.docker,
      DOCKER_SHIM_DAEMON_URL: standIn.url,
      AWS_CLI_STAND_IN_LOG: logs.aws,
      AWS_CLI_STAND_IN_S3: s3,
    },
    stepTimeoutMs: options.stepTimeoutMs,
    environmentSecrets: options.environmentSecrets,
    overrideScript: hooks.overrideScript,
    scriptEnv: (env) => Object.fromEntries(Object.entries(env).map(([name, value]) => [name, route(value)])),
    actionInputs: (action, inputs, info) => {
      const routed = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, route(value)]));
      return hooks.actionInputs?.(action, routed, info) ?? routed;
    },
    onActionLine: hooks.onActionLine,
    afterStep: hooks.afterStep,
  };
  return {
    sim,
    standIn,
    host,
    route,
    run: (file, { github, ...rest }) =>
      runWorkflow({ ...rest, file: resolve(repository, file), host, github: githubContext(sim, github) }),
    bucket(name) {
      const dir = join(s3, name);
      if (!existsSync(dir)) return {};
      const files = readdirSync(dir, { recursive: true })
        .map(String)
        .filter((file) => statSync(join(dir, file)).isFile())
        .sort();
      return Object.fromEntries(files.map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
    },
    calls: (tool) =>
      readFileSync(logs[tool], 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { argv: string[] }).argv),
    async close() {
      await standIn.close();
      await sim.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
