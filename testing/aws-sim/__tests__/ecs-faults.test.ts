import { DescribeServicesCommand, ServerException, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { startWithClients, webSeed, type SimClients } from './ecs-helpers';

let clients: SimClients;
afterEach(() => clients.close());

const describeWeb = () => clients.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));

describe('fault injection and the request log through the ECS API', () => {
  it('throttling injected at 30% is retried by the SDK until every call succeeds', async () => {
    clients = await startWithClients({ manual: true, seed: webSeed(), maxAttempts: 10 });
    clients.sim.control.addFault({ service: 'ecs', operation: 'DescribeServices', throttleRate: 0.3 });
    for (let i = 0; i < 10; i++) expect((await describeWeb()).services).toHaveLength(1);

    const calls = clients.sim.control.requests({ operation: 'DescribeServices' });
    const throttled = calls.filter((r) => r.errorCode === 'ThrottlingException');
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((r) => r.injected && r.status === 400)).toBe(true);
    expect(calls.filter((r) => r.status === 200)).toHaveLength(10);
  });

  it('a one-shot server error is retried; a non-retryable error surfaces as its modeled class', async () => {
    clients = await startWithClients({ manual: true, seed: webSeed() });
    clients.sim.control.addFault({
      operation: 'DescribeServices',
      error: { code: 'ServerException', status: 500, times: 1 },
    });
    expect((await describeWeb()).services).toHaveLength(1);
    expect(clients.sim.control.requests({ operation: 'DescribeServices' }).map((r) => r.status)).toEqual([500, 200]);

    clients.sim.control.addFault({
      operation: 'UpdateService',
      error: { code: 'ServerException', status: 400, times: 1 },
    });
    await expect(
      clients.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 3 })),
    ).rejects.toBeInstanceOf(ServerException);
  });

  it('records every call with its operation and whether it mutates', async () => {
    clients = await startWithClients({ manual: true, seed: webSeed() });
    const start = Date.now();
    for (let i = 0; i < 3; i++) await describeWeb();
    expect(clients.sim.control.mutatingRequests()).toEqual([]);
    await clients.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 1 }));
    const mutating = clients.sim.control.mutatingRequests({ service: 'ecs' });
    expect(mutating.map((r) => [r.operation, r.params])).toEqual([
      ['UpdateService', { cluster: 'prod', service: 'web', desiredCount: 1 }],
    ]);
    expect(
      clients.sim.control.requests({ operation: 'DescribeServices', sinceRealTime: start, untilRealTime: Date.now() }),
    ).toHaveLength(3);
  });
});
