import { imageTag } from '../scenarios';
import type { ServiceModule, SimResponse } from '../service';
import type { World } from '../world';
import { ecsState, nameOf, tasksOf, type Service, type Task } from './ecs-state';

/**
 * Live app endpoints: what a service's load balancer would answer. Each ECS service gets
 *   <endpoint>/_live/<cluster>/<service>/prod/<path>   (production listener)
 *   <endpoint>/_live/<cluster>/<service>/test/<path>   (test listener)
 * answered by a healthy RUNNING task of the revision that listener currently routes to (blue/green weights while
 * a deployment shifts traffic, every healthy task otherwise), with status and body from the image's scenario.
 */

export type Listener = 'prod' | 'test';

const LIVE_PATH = /^\/_live\/([^/]+)\/([^/]+)\/(prod|test)(\/.*)?$/;

export function liveUrls(
  sim: { endpoint: string },
  cluster: string,
  service: string,
): { production: string; test: string } {
  const base = `${sim.endpoint}/_live/${encodeURIComponent(cluster)}/${encodeURIComponent(service)}`;
  return { production: `${base}/prod`, test: `${base}/test` };
}

function findService(world: World, cluster: string, name: string): Service | undefined {
  for (const service of ecsState(world).services.values()) {
    if (service.serviceName === name && nameOf(service.clusterArn) === cluster && service.status !== 'INACTIVE')
      return service;
  }
  return undefined;
}

/** The tasks a listener sends traffic to now, and the share of traffic each revision gets. */
export function servingTasks(world: World, service: Service, listener: Listener): { task: Task; weight: number }[] {
  const state = ecsState(world);
  const healthy = tasksOf(state, (t) => t.serviceArn === service.serviceArn && t.healthy && t.lastStatus === 'RUNNING');
  const current = service.currentServiceDeployment
    ? state.serviceDeployments.get(service.currentServiceDeployment)
    : undefined;
  const weights = current?.weights ?? {};
  if (Object.keys(weights).length === 0) return healthy.map((task) => ({ task, weight: 100 }));
  return healthy
    .map((task) => {
      const weight = weights[task.revisionArn!];
      return { task, weight: weight ? (listener === 'prod' ? weight.production : weight.test) : 0 };
    })
    .filter((entry) => entry.weight > 0);
}

/** Picks a task: a revision by its traffic weight, then round-robin within it (deterministic). */
function pick(service: Service, serving: { task: Task; weight: number }[]): Task {
  const turn = service.servedRequests++;
  const byRevision = new Map<string, { weight: number; tasks: Task[] }>();
  for (const { task, weight } of serving) {
    const entry = byRevision.get(task.revisionArn!) ?? { weight, tasks: [] };
    entry.tasks.push(task);
    byRevision.set(task.revisionArn!, entry);
  }
  const revisions = [...byRevision.values()];
  const total = revisions.reduce((sum, r) => sum + r.weight, 0);
  // A stride coprime with the total spreads each revision's share evenly over consecutive requests.
  const stride = total % 61 === 0 ? 67 : 61;
  let slot = (turn * stride) % total;
  const chosen = revisions.find((r) => (slot -= r.weight) < 0) ?? revisions[0];
  return chosen.tasks[turn % chosen.tasks.length];
}

function render(template: string, image: string): string {
  return template.replaceAll('{{tag}}', imageTag(image)).replaceAll('{{image}}', image);
}

function answer(task: Task, path: string): SimResponse {
  const container =
    task.containers.find((c) => c.name === task.target?.containerName) ?? task.containers.find((c) => c.essential)!;
  const http = container.scenario.http ?? {};
  const route = http.paths?.[path];
  const version = JSON.stringify({ version: imageTag(container.image), image: container.image });
  const fallback = path === '/version' ? { status: 200, body: version } : { status: 200, body: 'ok' };
  const status = route?.status ?? http.status ?? fallback.status;
  const body = render(route?.body ?? http.body ?? fallback.body, container.image);
  const json = /^\s*[[{]/.test(body);
  return {
    status,
    headers: {
      'content-type': json ? 'application/json' : 'text/plain; charset=utf-8',
      'x-aws-sim-task': task.taskArn,
      'x-aws-sim-task-definition': task.taskDefinitionArn,
    },
    body,
  };
}

export function liveService(): ServiceModule {
  return {
    name: 'live',
    throttlingCode: 'Throttling',
    observed: false,
    decode(request) {
      const match = LIVE_PATH.exec(request.path);
      if (!match) return undefined;
      const [, cluster, name, listener, rest] = match;
      return {
        operation: `${request.method} ${request.path}`,
        params: {},
        run({ world }) {
          const service = findService(world, decodeURIComponent(cluster), decodeURIComponent(name));
          if (!service)
            return {
              status: 404,
              headers: { 'content-type': 'text/plain' },
              body: `aws-sim: no service ${name} in cluster ${cluster}`,
            };
          const serving = servingTasks(world, service, listener as Listener);
          if (serving.length === 0) {
            return {
              status: 503,
              headers: { 'content-type': 'text/html' },
              body: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
            };
          }
          return answer(pick(service, serving), rest || '/');
        },
      };
    },
    errorResponse(error) {
      return { status: error.status, headers: { 'content-type': 'text/plain' }, body: error.message };
    },
  };
}
