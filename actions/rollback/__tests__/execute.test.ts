import type { ECSClient } from '@aws-sdk/client-ecs';
import { fakeClock } from '@shipyard/platform/poll';
import { awsError, fakeClient } from '@shipyard/testkit/fake-client';
import { failuresToExplain, startRollbacks, waitForRollbacks, type StartedService } from '../src/execute';
import type { ServicePlan } from '../src/plan';
import type { ServiceReport } from '../src/report';

jest.mock('@shipyard/platform/core', () => ({
  ...jest.requireActual('@shipyard/platform/core'),
  info: jest.fn(),
  error: jest.fn(),
}));

const td = (service: string, revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${service}:${revision}`;

function plan(service: string, method: ServiceReport['method']): ServicePlan {
  return {
    entry: { service, changes: [], result: 'planned', method, fromArn: td(service, 3), toArn: td(service, 2) },
    target: { taskDefinition: { taskDefinitionArn: td(service, 2) }, tags: [], basis: 'test' },
    service: { serviceName: service, currentServiceDeployment: `sd/${service}/old` },
    events: [],
  };
}

describe('startRollbacks', () => {
  test('starts every service; one failing call fails only that service; services on target are skipped', async () => {
    const ecs = fakeClient({
      UpdateServiceCommand: (input: { service: string }) => {
        if (input.service === 'api')
          throw awsError('AccessDeniedException', 'not authorized to perform ecs:UpdateService');
        return {
          service: {
            currentServiceDeployment: `sd/${input.service}`,
            deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY' }],
          },
        };
      },
    });
    const plans = [plan('web', 'update'), plan('api', 'update'), plan('worker', 'none')];
    const started = await startRollbacks(ecs as unknown as ECSClient, 'prod', plans);
    expect(started.map((s) => s.target)).toEqual([
      {
        service: 'web',
        taskDefinitionArn: td('web', 2),
        deploymentId: 'ecs-svc/1',
        serviceDeploymentArn: 'sd/web',
        wayBack: true,
      },
    ]);
    expect(plans.map((p) => [p.entry.service, p.entry.result, p.entry.reason])).toEqual([
      ['web', 'started', undefined],
      ['api', 'failed', 'AWS request failed: AccessDeniedException: not authorized to perform ecs:UpdateService'],
      ['worker', 'planned', undefined],
    ]);
  });
});

describe('waitForRollbacks', () => {
  const started = (service: string): StartedService => ({
    plan: plan(service, 'update'),
    target: { service, taskDefinitionArn: td(service, 2), serviceDeploymentArn: `sd/${service}` },
    startedAt: 0,
  });
  const ecsWith = (statuses: Record<string, string>) =>
    fakeClient({
      DescribeServiceDeploymentsCommand: (input: { serviceDeploymentArns: string[] }) => ({
        serviceDeployments: input.serviceDeploymentArns.map((arn) => ({
          serviceDeploymentArn: arn,
          status: statuses[arn],
        })),
      }),
      DescribeServicesCommand: (input: { services: string[] }) => ({
        services: input.services.map((name) => ({
          serviceName: name,
          status: 'ACTIVE',
          deployments: [
            { status: 'PRIMARY', taskDefinition: statuses[`sd/${name}`] === 'SUCCESSFUL' ? td(name, 2) : td(name, 3) },
          ],
        })),
      }),
    }) as unknown as ECSClient;

  test('judges each service; the timeout fails those still going, with where they were', async () => {
    const services = [started('web'), started('api')];
    const ecs = ecsWith({ 'sd/web': 'SUCCESSFUL', 'sd/api': 'IN_PROGRESS' });
    await waitForRollbacks(
      ecs,
      { cluster: 'prod', timeoutMs: 60_000 },
      services,
      new AbortController().signal,
      fakeClock(),
    );
    expect(services[0].plan.entry).toMatchObject({ result: 'succeeded' });
    expect(services[1].plan.entry.result).toBe('failed');
    expect(services[1].plan.entry.reason).toMatch(
      /^timed out after 1m waiting for the rollback \(\d+ checks\) \(IN_PROGRESS\)$/,
    );
  });

  test('a rollback that ends elsewhere fails with the reason', async () => {
    const services = [started('web')];
    await waitForRollbacks(
      ecsWith({ 'sd/web': 'ROLLBACK_FAILED' }),
      { cluster: 'prod', timeoutMs: 60_000 },
      services,
      new AbortController().signal,
      fakeClock(),
    );
    expect(services[0].plan.entry).toMatchObject({ result: 'failed', reason: 'service deployment ROLLBACK_FAILED' });
  });
});

describe('waitForRollbacks under faults', () => {
  const started = (service: string): StartedService => ({
    plan: plan(service, 'update'),
    target: { service, taskDefinitionArn: td(service, 2), serviceDeploymentArn: `sd/${service}` },
    startedAt: 0,
  });
  const serverError = () =>
    Object.assign(new Error('InternalFailure'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
  const backOnTarget = {
    DescribeServicesCommand: (input: { services: string[] }) => ({
      services: input.services.map((name) => ({
        serviceName: name,
        status: 'ACTIVE',
        deployments: [{ status: 'PRIMARY', taskDefinition: td(name, 2), rolloutState: 'COMPLETED' }],
      })),
    }),
  };

  test('a 5xx while watching is a passing fault: both services are judged back, not failed', async () => {
    let calls = 0;
    const ecs = fakeClient({
      ...backOnTarget,
      DescribeServiceDeploymentsCommand: (input: { serviceDeploymentArns: string[] }) => {
        if (calls++ === 0) throw serverError();
        return {
          serviceDeployments: input.serviceDeploymentArns.map((arn) => ({
            serviceDeploymentArn: arn,
            status: 'SUCCESSFUL',
          })),
        };
      },
    });
    const services = [started('web'), started('api')];
    const signal = new AbortController().signal;
    await waitForRollbacks(
      ecs as unknown as ECSClient,
      { cluster: 'prod', timeoutMs: 60_000 },
      services,
      signal,
      fakeClock(),
    );
    expect(services.map((s) => s.plan.entry.result)).toEqual(['succeeded', 'succeeded']);
  });

  test('a watch that breaks leaves each rollback unconfirmed with the reason, instead of throwing', async () => {
    const ecs = fakeClient({
      DescribeServiceDeploymentsCommand: () => {
        throw awsError('AccessDeniedException', 'no DescribeServices either');
      },
      DescribeServicesCommand: () => {
        throw awsError('AccessDeniedException', 'not authorized to perform: ecs:DescribeServices');
      },
    });
    const services = [started('web')];
    const signal = new AbortController().signal;
    await waitForRollbacks(
      ecs as unknown as ECSClient,
      { cluster: 'prod', timeoutMs: 60_000 },
      services,
      signal,
      fakeClock(),
    );
    expect(services[0].plan.entry.result).toBe('failed');
    expect(services[0].plan.entry.reason).toMatch(/^could not be watched: .*ecs:DescribeServices/);
  });
});

describe('failuresToExplain', () => {
  const service = (name: string, result: ServiceReport['result'], reason?: string): StartedService => {
    const s = { plan: plan(name, 'update'), target: { service: name, taskDefinitionArn: td(name, 2) }, startedAt: 0 };
    Object.assign(s.plan.entry, { result, reason });
    return s;
  };

  test('the failed services, with their reasons', () => {
    const started = [service('web', 'succeeded'), service('api', 'failed', 'service deployment ROLLBACK_FAILED')];
    expect(failuresToExplain(started, {}).map((f) => [f.service.target.service, f.reason])).toEqual([
      ['api', 'service deployment ROLLBACK_FAILED'],
    ]);
  });

  test('every started service when the verification failed', () => {
    const started = [service('web', 'succeeded'), service('api', 'succeeded')];
    const report = { verification: { urls: ['https://x.test'], passed: false, reason: 'HTTP 500' } };
    expect(failuresToExplain(started, report).map((f) => [f.service.target.service, f.reason])).toEqual([
      ['web', 'verification failed: HTTP 500'],
      ['api', 'verification failed: HTTP 500'],
    ]);
  });
});
