import type { ECSClient, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { ServiceEventStream } from '@shipyard/ecs/deployments';
import type { Inputs } from '../src/inputs';
import type { ServicePlan } from '../src/plan';
import { startDeployments, type StartedDeployment } from '../src/update';
import { awsError, fakeClient, type Handlers } from '@shipyard/testkit/fake-client';

jest.mock('@shipyard/platform/core', () => ({
  ...jest.requireActual('@shipyard/platform/core'),
  info: jest.fn(),
  warning: jest.fn(),
}));

const OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
const NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
const inputs = { cluster: 'prod', forceNewDeployment: false } as Inputs;
const running: Service = {
  serviceName: 'web',
  taskDefinition: OLD,
  currentServiceDeployment: 'sd/1',
  deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: OLD }],
};
const plan: ServicePlan = {
  name: 'web',
  service: running,
  currentTaskDefinitionArn: OLD,
  knownGood: OLD,
  strategy: 'ROLLING',
  pausesForTest: false,
  events: new ServiceEventStream(),
};
const next = new Map<string, TaskDefinition>([['web', { taskDefinitionArn: NEW }]]);
const afterUpdate: Service = {
  ...running,
  deployments: [
    { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: NEW },
    { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: OLD },
  ],
};

async function start(handlers: Handlers) {
  const ecs = fakeClient(handlers);
  const recorded: { event: string; serviceDeploymentArn?: string; callsSoFar: number }[] = [];
  const note = (event: string, serviceDeploymentArn?: string) =>
    recorded.push({ event, serviceDeploymentArn, callsSoFar: ecs.calls().length });
  const result = await startDeployments(ecs as unknown as ECSClient, inputs, [plan], next, {
    intend: () => note('intend'),
    started: (d: StartedDeployment) => note('started', d.target.serviceDeploymentArn),
    refused: () => note('refused'),
  });
  return { ecs, result, recorded };
}

describe('startDeployments', () => {
  test('the update is recorded the moment UpdateService returns, before any other call', async () => {
    // An endpoint whose answer still names the old service deployment, so the new one is looked up — and that fails.
    const { ecs, result, recorded } = await start({
      UpdateServiceCommand: () => ({ service: { ...afterUpdate, currentServiceDeployment: 'sd/1' } }),
      ListServiceDeploymentsCommand: () => {
        throw awsError('AccessDeniedException', 'not authorized to perform: ecs:ListServiceDeployments');
      },
    });
    expect(ecs.calls().map((c) => c.name)).toEqual(['UpdateServiceCommand', 'ListServiceDeploymentsCommand']);
    expect(recorded.slice(0, 2)).toEqual([
      { event: 'intend', serviceDeploymentArn: undefined, callsSoFar: 0 },
      { event: 'started', serviceDeploymentArn: undefined, callsSoFar: 1 },
    ]);
    expect(result.failures).toEqual([]);
    expect(result.started.map((d) => d.target)).toEqual([
      {
        service: 'web',
        taskDefinitionArn: NEW,
        deploymentId: 'ecs-svc/2',
        serviceDeploymentArn: undefined,
        priorDeploymentIds: ['ecs-svc/1'],
      },
    ]);
  });

  test('the new service deployment found by listing is recorded too', async () => {
    const { result, recorded } = await start({
      UpdateServiceCommand: () => ({ service: { ...afterUpdate, currentServiceDeployment: 'sd/1' } }),
      ListServiceDeploymentsCommand: () => ({
        serviceDeployments: [{ serviceDeploymentArn: 'sd/2', createdAt: new Date() }],
      }),
    });
    expect(recorded.map((r) => [r.event, r.serviceDeploymentArn])).toEqual([
      ['intend', undefined],
      ['started', undefined],
      ['started', 'sd/2'],
    ]);
    expect(result.started[0].target.serviceDeploymentArn).toBe('sd/2');
  });

  test('a clear refusal is a failure that changed nothing', async () => {
    const { result, recorded } = await start({
      UpdateServiceCommand: () => {
        throw awsError('InvalidParameterException', 'bad');
      },
    });
    expect(recorded.map((r) => r.event)).toEqual(['intend', 'refused']);
    expect(result.failures.map((f) => [f.plan.name, f.error.uncertain, f.error.message])).toEqual([
      ['web', false, 'AWS request failed: InvalidParameterException: bad'],
    ]);
  });

  test('a 5xx after which ECS shows the new deployment is followed as started', async () => {
    const { result, recorded } = await start({
      UpdateServiceCommand: () => {
        throw Object.assign(new Error('Internal'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
      },
      DescribeServicesCommand: () => ({ services: [{ ...afterUpdate, currentServiceDeployment: 'sd/2' }] }),
    });
    expect(result.failures).toEqual([]);
    expect(result.started[0].target).toEqual({
      service: 'web',
      taskDefinitionArn: NEW,
      deploymentId: 'ecs-svc/2',
      serviceDeploymentArn: 'sd/2',
      priorDeploymentIds: ['ecs-svc/1'],
    });
    expect(recorded.map((r) => r.event)).toEqual(['intend', 'started', 'started']);
  });

  test('a 5xx after which ECS still runs the old revision is an uncertain failure (checked again before restoring)', async () => {
    const { result, recorded } = await start({
      UpdateServiceCommand: () => {
        throw Object.assign(new Error('Internal'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
      },
      DescribeServicesCommand: () => ({ services: [running] }),
    });
    expect(result.started).toEqual([]);
    expect(result.failures.map((f) => f.error.uncertain)).toEqual([true]);
    // Kept as intended: the post step checks the service before restoring anything.
    expect(recorded.map((r) => r.event)).toEqual(['intend']);
  });
});
