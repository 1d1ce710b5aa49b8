import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { liveUrls } from '../src/server';
import {
  fargateTaskDefinition,
  fetchText,
  startWithClients,
  TARGET_GROUP,
  webSeed,
  type SimClients,
} from './ecs-helpers';

let clients: SimClients;
afterEach(() => clients.close());

const loadBalancers = [{ targetGroupArn: TARGET_GROUP, containerName: 'app', containerPort: 8080 }];

describe('live app endpoints', () => {
  it('answers from the image scenario: default /health and /version, scenario paths and templating', async () => {
    clients = await startWithClients({
      manual: true,
      seed: webSeed({ loadBalancers }),
      scenarios: [
        {
          image: 'example/web:*',
          http: { paths: { '/': { body: 'hello from {{tag}}' }, '/admin': { status: 403, body: 'no' } } },
        },
      ],
    });
    const { production } = liveUrls(clients.sim, 'prod', 'web');
    expect(await fetchText(`${production}/health`)).toEqual({ status: 200, body: 'ok' });
    expect(JSON.parse((await fetchText(`${production}/version`)).body)).toEqual({
      version: 'v1',
      image: 'example/web:v1',
    });
    expect(await fetchText(`${production}/`)).toEqual({ status: 200, body: 'hello from v1' });
    expect(await fetchText(`${production}/admin`)).toEqual({ status: 403, body: 'no' });
    const response = await fetch(`${production}/version`);
    expect(response.headers.get('x-aws-sim-task-definition')).toMatch(/task-definition\/web:1$/);
  });

  it('answers 503 while no healthy task serves, and 404 for an unknown service', async () => {
    clients = await startWithClients({ manual: true, seed: webSeed({ loadBalancers, desiredCount: 0 }) });
    const { production, test } = liveUrls(clients.sim, 'prod', 'web');
    expect((await fetchText(`${production}/health`)).status).toBe(503);
    expect((await fetchText(`${test}/health`)).status).toBe(503);
    expect((await fetchText(`${liveUrls(clients.sim, 'prod', 'api').production}/health`)).status).toBe(404);

    await clients.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 1 }));
    clients.sim.control.advance(10_000);
    expect((await fetchText(`${production}/health`)).status).toBe(503);
    clients.sim.control.advance(15_000);
    expect((await fetchText(`${production}/health`)).status).toBe(200);
  });

  it('serves both revisions while a rolling deployment has healthy tasks of each', async () => {
    // At most 150%: one new task at a time, so one old and one new task serve together for a while.
    clients = await startWithClients({
      manual: true,
      seed: webSeed({ loadBalancers, deploymentConfiguration: { maximumPercent: 150 } }),
    });
    const td = await clients.ecs.send(
      new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', 'example/web:v2')),
    );
    await clients.ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'web',
        taskDefinition: td.taskDefinition!.taskDefinitionArn,
      }),
    );
    clients.sim.control.advance(25_000);
    const { production } = liveUrls(clients.sim, 'prod', 'web');
    const versions = new Set<string>();
    for (let i = 0; i < 8; i++) versions.add(JSON.parse((await fetchText(`${production}/version`)).body).version);
    expect(versions).toEqual(new Set(['v1', 'v2']));
  });

  it('serves what the scenario says for a failing app', async () => {
    clients = await startWithClients({
      manual: true,
      seed: webSeed({ loadBalancers }),
      scenarios: [{ image: 'example/web:v1', http: { status: 500, body: '{"error":"boom"}' } }],
    });
    const response = await fetch(`${liveUrls(clients.sim, 'prod', 'web').production}/health`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ error: 'boom' });
  });
});
