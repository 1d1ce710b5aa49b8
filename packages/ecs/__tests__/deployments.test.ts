import type { Deployment, Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import {
  judgeDeployment,
  lastSuccessfulRevision,
  primaryTaskDefinition,
  ServiceEventStream,
  stableTaskDefinition,
  startedServiceDeployment,
  type DeploymentTarget,
} from '../src/deployments';
import { fakeClock } from '@shipyard/platform/poll';
import { fakeClient } from '@shipyard/testkit/fake-client';

jest.mock('@shipyard/platform/core', () => ({ ...jest.requireActual('@shipyard/platform/core'), info: jest.fn() }));

const OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:6';
const NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7';
const target: DeploymentTarget = { service: 'web', taskDefinitionArn: NEW, deploymentId: 'ecs-svc/2' };
const withSd: DeploymentTarget = { ...target, serviceDeploymentArn: 'arn:sd/2' };

const deployment = (fields: Partial<Deployment>): Deployment => ({ desiredCount: 2, runningCount: 2, ...fields });
const service = (...deployments: Deployment[]): Service => ({ serviceName: 'web', status: 'ACTIVE', deployments });
const sd = (status: ServiceDeployment['status'], statusReason?: string): ServiceDeployment => ({
  serviceDeploymentArn: 'arn:sd/2',
  status,
  statusReason,
});

describe('judgeDeployment', () => {
  const primaryNew = deployment({ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: NEW, rolloutState: 'COMPLETED' });
  const primaryOld = deployment({
    id: 'ecs-svc/3',
    status: 'PRIMARY',
    taskDefinition: OLD,
    rolloutState: 'IN_PROGRESS',
  });

  test.each([
    ['in flight (PENDING)', withSd, { serviceDeployment: sd('PENDING') }, { state: 'in-progress' }],
    ['in flight (IN_PROGRESS)', withSd, { serviceDeployment: sd('IN_PROGRESS') }, { state: 'in-progress' }],
    [
      'SUCCESSFUL and ours is primary',
      withSd,
      { serviceDeployment: sd('SUCCESSFUL'), service: service(primaryNew) },
      { state: 'succeeded' },
    ],
    [
      'SUCCESSFUL but another revision is primary',
      withSd,
      { serviceDeployment: sd('SUCCESSFUL'), service: service({ ...primaryNew, taskDefinition: OLD }) },
      {
        state: 'failed',
        reason: `the deployment finished but the service's primary revision is ${OLD}, not ${NEW}`,
        ecsRollback: 'none',
      },
    ],
    [
      'circuit breaker rolling back',
      withSd,
      { serviceDeployment: sd('ROLLBACK_IN_PROGRESS', 'circuit breaker: 3 tasks failed') },
      {
        state: 'failed',
        reason: 'service deployment ROLLBACK_IN_PROGRESS: circuit breaker: 3 tasks failed',
        ecsRollback: 'in-progress',
      },
    ],
    [
      'rolled back',
      withSd,
      { serviceDeployment: sd('ROLLBACK_SUCCESSFUL') },
      { state: 'failed', reason: 'service deployment ROLLBACK_SUCCESSFUL', ecsRollback: 'succeeded' },
    ],
    [
      'rollback failed',
      withSd,
      { serviceDeployment: sd('ROLLBACK_FAILED') },
      { state: 'failed', reason: 'service deployment ROLLBACK_FAILED', ecsRollback: 'failed' },
    ],
    [
      'stopped',
      withSd,
      { serviceDeployment: sd('STOPPED', 'user') },
      { state: 'failed', reason: 'service deployment STOPPED: user', ecsRollback: 'none' },
    ],
    [
      'service missing',
      withSd,
      { missing: 'the service is MISSING' },
      { state: 'failed', reason: 'the service is MISSING', ecsRollback: 'none' },
    ],
    ['rolling: COMPLETED primary', target, { service: service(primaryNew) }, { state: 'succeeded' }],
    [
      'rolling: in progress',
      target,
      {
        service: service(
          { ...primaryNew, rolloutState: 'IN_PROGRESS' },
          deployment({ id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: OLD }),
        ),
      },
      { state: 'in-progress' },
    ],
    [
      'rolling: FAILED while the circuit breaker rolls back',
      target,
      {
        service: service(
          primaryOld,
          deployment({
            id: 'ecs-svc/2',
            status: 'ACTIVE',
            taskDefinition: NEW,
            rolloutState: 'FAILED',
            rolloutStateReason: 'tasks failed to start',
          }),
        ),
      },
      { state: 'failed', reason: 'rollout FAILED: tasks failed to start', ecsRollback: 'in-progress' },
    ],
    [
      'rolling: FAILED, rollback already complete',
      target,
      {
        service: service(
          { ...primaryOld, rolloutState: 'COMPLETED' },
          deployment({ id: 'ecs-svc/2', status: 'ACTIVE', taskDefinition: NEW, rolloutState: 'FAILED' }),
        ),
      },
      { state: 'failed', reason: 'rollout FAILED', ecsRollback: 'succeeded' },
    ],
    [
      'rolling: FAILED without rollback',
      target,
      {
        service: service(
          deployment({ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: NEW, rolloutState: 'FAILED' }),
        ),
      },
      { state: 'failed', reason: 'rollout FAILED', ecsRollback: 'none' },
    ],
    [
      'rolling: replaced by someone else',
      target,
      {
        service: service(
          primaryOld,
          deployment({ id: 'ecs-svc/2', status: 'ACTIVE', taskDefinition: NEW, rolloutState: 'IN_PROGRESS' }),
        ),
      },
      { state: 'failed', reason: `a newer deployment replaced it (${OLD})`, ecsRollback: 'none' },
    ],
    [
      'rolling: gone',
      target,
      { service: service(primaryOld) },
      { state: 'failed', reason: `the deployment is gone; the service now runs ${OLD}`, ecsRollback: 'none' },
    ],
    [
      'rolling: no rollout state, stable',
      target,
      { service: service(deployment({ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: NEW })) },
      { state: 'succeeded' },
    ],
  ])('%s', (_name, watched, snapshot, verdict) => {
    expect(judgeDeployment(watched, snapshot)).toEqual(verdict);
  });
});

describe('stableTaskDefinition and primaryTaskDefinition', () => {
  test('stable only when the primary is COMPLETED and nothing else runs', () => {
    const done = deployment({ status: 'PRIMARY', taskDefinition: OLD, rolloutState: 'COMPLETED' });
    expect(stableTaskDefinition(service(done))).toBe(OLD);
    expect(stableTaskDefinition(service({ ...done, rolloutState: 'IN_PROGRESS' }))).toBeUndefined();
    expect(
      stableTaskDefinition(service(done, deployment({ status: 'ACTIVE', taskDefinition: NEW, runningCount: 1 }))),
    ).toBeUndefined();
    expect(
      stableTaskDefinition(service(done, deployment({ status: 'ACTIVE', taskDefinition: NEW, runningCount: 0 }))),
    ).toBe(OLD);
    expect(primaryTaskDefinition(service(done))).toBe(OLD);
    expect(primaryTaskDefinition({ taskDefinition: NEW })).toBe(NEW);
  });
});

describe('judgeDeployment on an answer that predates the deployment (eventually consistent)', () => {
  const before = deployment({ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: OLD, rolloutState: 'COMPLETED' });
  const seen: DeploymentTarget = { ...target, priorDeploymentIds: ['ecs-svc/1'] };
  const unseen = { state: 'in-progress', unseen: 'DescribeServices still shows web as it was before the update' };

  test.each([
    ['the rolling view: only the deployments from before', seen, { service: service(before) }, unseen],
    [
      'a SUCCESSFUL service deployment, the service still as before',
      { ...seen, serviceDeploymentArn: 'arn:sd/2' },
      { service: service(before), serviceDeployment: sd('SUCCESSFUL') },
      unseen,
    ],
    [
      'a newer deployment than ours: gone, as before',
      seen,
      { service: service(deployment({ id: 'ecs-svc/3', status: 'PRIMARY', taskDefinition: OLD })) },
      { state: 'failed', reason: `the deployment is gone; the service now runs ${OLD}`, ecsRollback: 'none' },
    ],
    [
      'without the prior ids: gone, as before',
      target,
      { service: service(before) },
      { state: 'failed', reason: `the deployment is gone; the service now runs ${OLD}`, ecsRollback: 'none' },
    ],
  ])('%s', (_name, who, snapshot, expected) => {
    expect(judgeDeployment(who, snapshot)).toEqual(expected);
  });
});

describe('startedServiceDeployment', () => {
  const options = {
    cluster: 'prod',
    service: 'web',
    before: 'sd/1',
    startedAt: new Date(1_000_000),
    expectNew: true,
  };
  const listing = (...answers: string[][]) => {
    let call = 0;
    return fakeClient({
      ListServiceDeploymentsCommand: () => ({
        serviceDeployments: answers[Math.min(call++, answers.length - 1)].map((arn, i) => ({
          serviceDeploymentArn: arn,
          createdAt: new Date(2_000_000 - i),
        })),
      }),
    });
  };

  test("the answer's new currentServiceDeployment, without listing", async () => {
    const ecs = listing([]);
    const answer = { currentServiceDeployment: 'sd/2' };
    expect(await startedServiceDeployment(ecs as unknown as ECSClient, { ...options, answer })).toBe('sd/2');
    expect(ecs.calls()).toEqual([]);
  });

  test('an answer naming the replaced one: the newest listed since the call, listed again until it shows', async () => {
    const ecs = listing(['sd/1'], [], ['sd/2', 'sd/1']);
    const answer = { currentServiceDeployment: 'sd/1' };
    const clock = fakeClock();
    expect(await startedServiceDeployment(ecs as unknown as ECSClient, { ...options, answer, clock })).toBe('sd/2');
    expect(ecs.calls()).toHaveLength(3);
    expect(ecs.calls()[0].input).toEqual({ cluster: 'prod', service: 'web', createdAt: { after: new Date(999_000) } });
  });

  test("an ECS clock ahead of the runner's: deployments older than the replaced one are not taken for the new one", async () => {
    // Listed newest first: sd/1 (replaced) at 2_000_000, sd/0 (older, still after the runner's startedAt) below it.
    const ecs = listing(['sd/1', 'sd/0'], ['sd/1', 'sd/0'], ['sd/2', 'sd/1', 'sd/0']);
    const answer = { currentServiceDeployment: 'sd/1' };
    const clock = fakeClock();
    expect(await startedServiceDeployment(ecs as unknown as ECSClient, { ...options, answer, clock })).toBe('sd/2');
    expect(ecs.calls()).toHaveLength(3);
  });

  test('none listed within the patience, or none expected: undefined (the rolling view)', async () => {
    const never = listing([]);
    const clock = fakeClock();
    const found = await startedServiceDeployment(never as unknown as ECSClient, { ...options, answer: {}, clock });
    expect(found).toBeUndefined();
    expect(clock.now()).toBe(20_000);
    const rescale = listing([]);
    const args = { ...options, answer: {}, expectNew: false, clock: fakeClock() };
    expect(await startedServiceDeployment(rescale as unknown as ECSClient, args)).toBeUndefined();
    expect(rescale.calls()).toHaveLength(1);
  });
});

describe('lastSuccessfulRevision', () => {
  const client = fakeClient({
    ListServiceDeploymentsCommand: () => ({
      serviceDeployments: [
        { targetServiceRevisionArn: 'rev/5', finishedAt: new Date('2025-01-01T10:00:00Z') },
        { targetServiceRevisionArn: 'rev/7', finishedAt: new Date('2025-01-03T10:00:00Z') },
        { targetServiceRevisionArn: 'rev/6', finishedAt: new Date('2025-01-02T10:00:00Z') },
      ],
    }),
    DescribeServiceRevisionsCommand: () => ({
      serviceRevisions: [
        { serviceRevisionArn: 'rev/5', taskDefinition: 'td:5' },
        { serviceRevisionArn: 'rev/6', taskDefinition: 'td:6' },
        { serviceRevisionArn: 'rev/7', taskDefinition: 'td:7' },
      ],
    }),
  });
  const ecs = client as unknown as ECSClient;

  test('the newest SUCCESSFUL deployment by finish time, skipping excluded revisions', async () => {
    expect(await lastSuccessfulRevision(ecs, { cluster: 'prod', service: 'web' })).toBe('td:7');
    expect(await lastSuccessfulRevision(ecs, { cluster: 'prod', service: 'web', exclude: ['td:7'] })).toBe('td:6');
    expect(client.calls('ListServiceDeploymentsCommand')[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      status: ['SUCCESSFUL'],
      createdAt: undefined,
      maxResults: 20,
    });
  });

  test('undefined without history', async () => {
    const empty = fakeClient({ ListServiceDeploymentsCommand: () => ({ serviceDeployments: [] }) });
    expect(await lastSuccessfulRevision(empty as unknown as ECSClient, { cluster: 'c', service: 's' })).toBeUndefined();
    expect(empty.calls()).toHaveLength(1);
  });
});

describe('ServiceEventStream', () => {
  test('returns only unseen events, oldest first', () => {
    const e = (id: string) => ({ id, message: `event ${id}`, createdAt: new Date(Number(id) * 1000) });
    const stream = new ServiceEventStream([e('1')]);
    expect(stream.next([e('3'), e('2'), e('1')]).map((x) => x.id)).toEqual(['2', '3']);
    expect(stream.next([e('4'), e('3'), e('2')]).map((x) => x.id)).toEqual(['4']);
    expect(stream.next(undefined)).toEqual([]);
  });
});
