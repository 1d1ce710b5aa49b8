import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { currentTaskDefinition, describeCurrentDeployment, resolveRollbackTarget } from '../src/rollback/resolve';
import { parseRollbackTarget } from '../src/rollback/target';
import { awsError, fakeClient } from '@shipyard/testkit/fake-client';

const td = (revision: number, family = 'web') =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;
const revisionArn = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/${revision}`;

/** One service deployment, oldest first: status, target revision, source revisions. */
type Row = [status: string, target: number, sources: number[]];

interface World {
  history: Row[];
  /** The service's PRIMARY revision, and an older deployment still listed (deployments[]). */
  primary: number;
  older?: number;
  /** Image tag per registered revision (1-based); the listed ones are INACTIVE. */
  images?: string[];
  inactive?: number[];
}

const minute = (i: number) => new Date(Date.UTC(2026, 0, 1, 10, i));
const sdArn = (i: number) => `arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/sd${i}`;

/** A fake ECS client answering from one service's history the way the service-deployment API does. */
function ecsFor(world: World) {
  const images = world.images ?? ['v1', 'v2', 'v3', 'v4', 'v5'];
  const deployments = world.history.map(([status, target, sources], i) => ({
    serviceDeploymentArn: sdArn(i),
    status,
    createdAt: minute(i),
    finishedAt: minute(i + 0.5),
    targetServiceRevision: { arn: revisionArn(target) },
    sourceServiceRevisions: sources.map((s) => ({ arn: revisionArn(s) })),
  }));
  const taskDefinition = (revision: number) => ({
    taskDefinitionArn: td(revision),
    family: 'web',
    revision,
    status: world.inactive?.includes(revision) ? 'INACTIVE' : 'ACTIVE',
    containerDefinitions: [
      { name: 'app', image: `example/web:${images[revision - 1]}` },
      { name: 'log-router', image: 'amazon/aws-for-fluent-bit:stable' },
    ],
  });
  const client = fakeClient({
    ListServiceDeploymentsCommand: (input: {
      status?: string[];
      createdAt?: { before?: Date };
      maxResults: number;
    }) => ({
      serviceDeployments: deployments
        .filter((d) => !input.status || input.status.includes(d.status))
        .filter((d) => !input.createdAt?.before || d.createdAt <= input.createdAt.before)
        .reverse()
        .slice(0, input.maxResults)
        .map((d) => ({ ...d, targetServiceRevisionArn: d.targetServiceRevision.arn })),
    }),
    DescribeServiceDeploymentsCommand: (input: { serviceDeploymentArns: string[] }) => ({
      serviceDeployments: deployments.filter((d) => input.serviceDeploymentArns.includes(d.serviceDeploymentArn)),
    }),
    DescribeServiceRevisionsCommand: (input: { serviceRevisionArns: string[] }) => ({
      serviceRevisions: input.serviceRevisionArns.map((arn) => ({
        serviceRevisionArn: arn,
        taskDefinition: td(Number(arn.slice(arn.lastIndexOf('/') + 1))),
      })),
    }),
    DescribeTaskDefinitionCommand: (input: { taskDefinition: string }) => {
      const revision = Number(input.taskDefinition.slice(input.taskDefinition.lastIndexOf(':') + 1));
      if (!input.taskDefinition.includes('web:') || revision > images.length) {
        throw awsError('ClientException', 'Unable to describe task definition.');
      }
      return { taskDefinition: taskDefinition(revision), tags: [{ key: 'git-sha', value: `sha-${revision}` }] };
    },
    ListTaskDefinitionsCommand: () => ({
      taskDefinitionArns: images
        .map((_, i) => i + 1)
        .filter((revision) => !world.inactive?.includes(revision))
        .map((revision) => td(revision))
        .reverse(),
    }),
  });
  const service: Service = {
    serviceName: 'web',
    status: 'ACTIVE',
    taskDefinition: td(world.primary),
    currentServiceDeployment: deployments.length ? sdArn(deployments.length - 1) : undefined,
    deployments: [
      { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: td(world.primary) },
      ...(world.older ? [{ id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: td(world.older) }] : []),
    ],
  };
  return { client, ecs: client as unknown as ECSClient, service };
}

async function resolve(world: World, rawTarget: string) {
  const { ecs, service, client } = ecsFor(world);
  const current = await describeCurrentDeployment(ecs, service);
  const resolved = await resolveRollbackTarget(
    ecs,
    { cluster: 'prod', service, current },
    parseRollbackTarget('target', rawTarget),
  );
  return { resolved, client, current, from: currentTaskDefinition({ service, current }) };
}

/** v1 → v2 ok, v3 rolled back by the circuit breaker, v4 registered only, v5 deployed: revision − 1 would be 4. */
const SKIPPED: World = {
  history: [
    ['SUCCESSFUL', 1, []],
    ['SUCCESSFUL', 2, [1]],
    ['ROLLBACK_SUCCESSFUL', 3, [2]],
    ['SUCCESSFUL', 5, [2]],
  ],
  primary: 5,
};

describe('resolveRollbackTarget: last-known-good and previous from the history', () => {
  test.each([
    ['skipped revisions (never revision − 1)', SKIPPED, 'last-known-good', 5, 2],
    ['skipped revisions, previous', SKIPPED, 'previous', 5, 2],
    [
      'a service that did not change: an unchanged redeploy is skipped',
      {
        history: [
          ['SUCCESSFUL', 1, []],
          ['SUCCESSFUL', 2, [1]],
          ['SUCCESSFUL', 2, [2]],
        ],
        primary: 2,
      } as World,
      'last-known-good',
      2,
      1,
    ],
    [
      'a service that did not change, previous',
      {
        history: [
          ['SUCCESSFUL', 1, []],
          ['SUCCESSFUL', 2, [1]],
          ['SUCCESSFUL', 2, [2]],
        ],
        primary: 2,
      } as World,
      'previous',
      2,
      1,
    ],
    [
      'a deployment in flight: what it replaces',
      {
        history: [
          ['SUCCESSFUL', 1, []],
          ['SUCCESSFUL', 2, [1]],
          ['IN_PROGRESS', 3, [2]],
        ],
        primary: 3,
        older: 2,
      } as World,
      'last-known-good',
      3,
      2,
    ],
    [
      'ECS already rolled back: stays on the revision it returned to',
      {
        history: [
          ['SUCCESSFUL', 1, []],
          ['SUCCESSFUL', 2, [1]],
          ['ROLLBACK_SUCCESSFUL', 3, [2]],
        ],
        primary: 2,
      } as World,
      'last-known-good',
      2,
      2,
    ],
    [
      'ECS already rolled back, previous goes one further',
      {
        history: [
          ['SUCCESSFUL', 1, []],
          ['SUCCESSFUL', 2, [1]],
          ['ROLLBACK_SUCCESSFUL', 3, [2]],
        ],
        primary: 2,
      } as World,
      'previous',
      2,
      1,
    ],
    [
      'the last deployment stopped half-way (circuit breaker without rollback)',
      {
        history: [
          ['SUCCESSFUL', 1, []],
          ['SUCCESSFUL', 2, [1]],
          ['STOPPED', 3, [2]],
        ],
        primary: 3,
      } as World,
      'last-known-good',
      3,
      2,
    ],
    [
      'a failed deployment before the current one is not known-good',
      {
        history: [
          ['SUCCESSFUL', 1, []],
          ['ROLLBACK_SUCCESSFUL', 2, [1]],
          ['SUCCESSFUL', 3, [1]],
        ],
        primary: 3,
      } as World,
      'last-known-good',
      3,
      1,
    ],
    [
      'no service-deployment history: the older deployment still listed',
      { history: [], primary: 3, older: 2 } as World,
      'last-known-good',
      3,
      2,
    ],
    ['no history, previous', { history: [], primary: 3, older: 2 } as World, 'previous', 3, 2],
  ])('%s', async (_name, world, target, from, to) => {
    const { resolved, from: current } = await resolve(world, target);
    expect(current).toBe(td(from));
    expect(resolved.taskDefinition.taskDefinitionArn).toBe(td(to));
    expect(resolved.tags).toEqual([{ key: 'git-sha', value: `sha-${to}` }]);
  });

  test('last-known-good looks only at SUCCESSFUL deployments created before the current one', async () => {
    const { client } = await resolve(SKIPPED, 'last-known-good');
    expect(client.calls('ListServiceDeploymentsCommand')[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      status: ['SUCCESSFUL'],
      createdAt: { before: minute(3) },
      maxResults: 20,
    });
  });
});

describe('resolveRollbackTarget: explicit targets', () => {
  test.each([
    ['a revision number, even one never deployed', '4', 4, 'revision 4, as asked'],
    ['family:revision', 'web:2', 2, 'the task definition asked for'],
    ['an ARN', td(1), 1, 'the task definition asked for'],
    [
      'an image tag: the newest ACTIVE revision with it',
      'image:v2',
      4,
      'the newest ACTIVE revision running an image tagged v2',
    ],
    [
      'an image tag of a sidecar counts too',
      'image:stable',
      5,
      'the newest ACTIVE revision running an image tagged stable',
    ],
  ])('%s', async (_name, target, revision, basis) => {
    const world: World = { ...SKIPPED, images: ['v1', 'v2', 'v3', 'v2', 'v5'] };
    const { resolved } = await resolve(world, target);
    expect(resolved.taskDefinition.taskDefinitionArn).toBe(td(revision));
    expect(resolved.basis).toBe(basis);
  });

  test('an image tag skips INACTIVE revisions', async () => {
    const { resolved } = await resolve(
      { ...SKIPPED, images: ['v1', 'v2', 'v3', 'v2', 'v5'], inactive: [4] },
      'image:v2',
    );
    expect(resolved.taskDefinition.taskDefinitionArn).toBe(td(2));
  });
});

describe('resolveRollbackTarget: what cannot be resolved', () => {
  test.each([
    [
      'no history and nothing older listed',
      { history: [['SUCCESSFUL', 1, []]], primary: 1 } as World,
      'last-known-good',
      'Service "web": no other revision completed a deployment before the current one (ListServiceDeployments holds no SUCCESSFUL deployment of another revision), so there is no last known-good revision; set target to a revision number (42), family:revision, a task definition ARN or image:<tag> instead.',
    ],
    [
      'previous of a first deployment',
      { history: [['SUCCESSFUL', 1, []]], primary: 1 } as World,
      'previous',
      'Service "web": the deployment history does not say which revision ran before web:1; set target to',
    ],
    [
      'a revision that does not exist',
      SKIPPED,
      '9',
      'Service "web": task definition web:9 does not exist (revision 9, as asked).',
    ],
    [
      'a deregistered revision',
      { ...SKIPPED, inactive: [2] },
      'last-known-good',
      'Service "web": web:2 (the last revision whose deployment completed before the current one) is INACTIVE: ECS cannot deploy a deregistered revision. Register it again, or choose another target.',
    ],
    [
      'another family',
      SKIPPED,
      'api:3',
      'Service "web": target "api:3" is a revision of family "api", but the service runs family "web"; a rollback stays within the service\'s family.',
    ],
    [
      'an image tag no revision has',
      SKIPPED,
      'image:v9',
      'Service "web": none of the 100 newest ACTIVE revisions of family "web" runs an image tagged "v9".',
    ],
  ])('%s', async (_name, world, target, message) => {
    await expect(resolve(world, target)).rejects.toThrow(message);
  });

  test('AWS errors other than an unknown revision are not hidden', async () => {
    const { ecs, service } = ecsFor(SKIPPED);
    const denied = Object.assign(ecs, {
      send: jest.fn().mockRejectedValue(awsError('AccessDeniedException', 'not authorized')),
    }) as unknown as ECSClient;
    await expect(
      resolveRollbackTarget(denied, { cluster: 'prod', service }, { kind: 'revision', revision: 2 }),
    ).rejects.toThrow('not authorized');
  });
});
