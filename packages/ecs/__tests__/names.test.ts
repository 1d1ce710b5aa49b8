import fc from 'fast-check';
import {
  imageHasTag,
  isFamilyRevision,
  isSameService,
  isTaskDefinitionArn,
  isTaskDefinitionReference,
  MAX_SERVICES,
  parseCluster,
  parseEcsName,
  parseSecurityGroupIds,
  parseServiceList,
  parseSubnetIds,
  serviceName,
  taskDefinitionInputError,
  shortTaskDefinition,
  taskDefinitionFamily,
  taskId,
} from '../src/names';

const ARN = 'arn:aws:ecs:eu-north-1:123456789012:task-definition/rideshare-api-production:17';

describe('names and ids', () => {
  test.each(['prod', 'Prod_2-x', 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', 'x'.repeat(255)])(
    'cluster %j',
    (value) => expect(parseCluster('cluster', value)).toBe(value),
  );

  test.each(['prod cluster', 'prod;id', 'x'.repeat(256), 'arn:aws:ecs:us-east-1:123456789012:service/prod/web'])(
    'cluster %j is refused',
    (value) => expect(() => parseCluster('cluster', value)).toThrow(/^Input "cluster" must be a cluster name/),
  );

  test('a container name with a dot is refused', () => {
    expect(() => parseEcsName('container', 'web.app', 'container')).toThrow(
      'Input "container" must be a container name (up to 255 letters, digits, _ and -), got "web.app".',
    );
  });

  test.each([
    ['subnet-0123abcd', true],
    ['subnet-0123456789abcdef0', true],
    ['subnet-0123ABCD', false],
    ['subnet-012345678', false],
    ['subnet-1; touch /tmp/x', false],
    ['sg-0123abcd', false],
  ])('subnet %j: %s', (value, valid) => {
    const parse = () => parseSubnetIds('subnets', [value]);
    if (valid) expect(parse()).toEqual([value]);
    else expect(parse).toThrow(`Input "subnets" lists "${value}", which is not a subnet id`);
  });

  test('at most 5 security groups', () => {
    const groups = Array.from({ length: 6 }, (_, i) => `sg-0000000${i}`);
    expect(() => parseSecurityGroupIds('security-groups', groups)).toThrow(
      'Input "security-groups" lists 6 security groups; ECS takes at most 5.',
    );
  });
});

describe('taskDefinitionInputError', () => {
  const awsError = (status: number) =>
    Object.assign(new Error('Unable to describe task definition.'), {
      name: 'ClientException',
      $metadata: { httpStatusCode: status },
    });

  test('a 400 names the input', () => {
    expect(taskDefinitionInputError(awsError(400), 'task-definition', 'web:9', 'us-east-1')).toEqual(
      new Error(
        'Input "task-definition" names "web:9", which ECS cannot describe in us-east-1 ' +
          '(AWS request failed: ClientException: Unable to describe task definition).',
      ),
    );
  });

  test('anything else passes through', () => {
    const throttled = awsError(500);
    expect(taskDefinitionInputError(throttled, 'task-definition', 'web:9', 'us-east-1')).toBe(throttled);
  });
});

describe('parseServiceList', () => {
  test.each([
    [['web'], ['web']],
    [
      ['api-gateway', 'user_service'],
      ['api-gateway', 'user_service'],
    ],
    [['arn:aws:ecs:us-east-1:123456789012:service/prod/web'], ['arn:aws:ecs:us-east-1:123456789012:service/prod/web']],
  ])('accepts %j', (items, expected) => {
    expect(parseServiceList('service', items)).toEqual(expected);
  });

  test.each([
    [[], 'Input "service" is required but was empty or not set.'],
    [['web', 'web'], 'Input "service" lists "web" twice.'],
    [
      ['web site'],
      'Input "service" lists "web site", which is not a service name (up to 255 letters, digits, _ and -) or service ARN.',
    ],
    [Array.from({ length: MAX_SERVICES + 1 }, (_, i) => `s${i}`), 'Input "service" lists 51 services; at most 50.'],
  ])('rejects %j', (items, message) => {
    expect(() => parseServiceList('service', items)).toThrow(message);
  });
});

describe('task definition names', () => {
  const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod/web';
  test.each([
    // reference, ARN, family:revision, any reference, family, short form
    [ARN, true, false, true, 'rideshare-api-production', 'rideshare-api-production:17'],
    ['arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/app_1:3', true, false, true, 'app_1', 'app_1:3'],
    ['web:7', false, true, true, 'web', 'web:7'],
    ['web', false, false, true, undefined, 'web'],
    // ECS numbers revisions from 1; a 0 or a leading zero names no revision.
    ['web:0', false, false, false, undefined, 'web:0'],
    ['web:07', false, false, false, undefined, 'web:07'],
    [`${ARN.slice(0, -3)}:0`, false, false, false, undefined, `${ARN.slice(0, -3)}:0`],
    [
      'arn:aws:ecs:us-east-1:123456789012:task-definition/web',
      false,
      false,
      false,
      undefined,
      'arn:aws:ecs:us-east-1:123456789012:task-definition/web',
    ],
    ['web:latest', false, false, false, undefined, 'web:latest'],
    [`${'x'.repeat(256)}:1`, false, false, false, undefined, `${'x'.repeat(256)}:1`],
    [SERVICE_ARN, false, false, false, undefined, SERVICE_ARN],
  ])('%s', (reference, arn, familyRevision, any, family, short) => {
    expect(isTaskDefinitionArn(reference)).toBe(arn);
    expect(isFamilyRevision(reference)).toBe(familyRevision);
    expect(isTaskDefinitionReference(reference)).toBe(any);
    expect(taskDefinitionFamily(reference)).toBe(family);
    expect(shortTaskDefinition(reference)).toBe(short);
  });

  test('no reference reads as (none)', () => {
    expect(shortTaskDefinition(undefined)).toBe('(none)');
  });

  const family = fc.stringMatching(/^[A-Za-z0-9_-]{1,255}$/);
  const region = fc.constantFrom('us-east-1', 'eu-north-1', 'cn-north-1', 'us-gov-west-1');
  const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov');
  const account = fc.stringMatching(/^\d{12}$/);
  const arnOf = (p: string, r: string, a: string, rest: string) => `arn:${p}:ecs:${r}:${a}:task-definition/${rest}`;

  test('every revision ARN is read back as its family and family:revision', () => {
    fc.assert(
      fc.property(partition, region, account, family, fc.integer({ min: 1, max: 10 ** 9 }), (p, r, a, f, revision) => {
        const arn = arnOf(p, r, a, `${f}:${revision}`);
        expect(isTaskDefinitionArn(arn)).toBe(true);
        expect(isTaskDefinitionReference(arn)).toBe(true);
        expect(taskDefinitionFamily(arn)).toBe(f);
        expect(shortTaskDefinition(arn)).toBe(`${f}:${revision}`);
        expect(isFamilyRevision(shortTaskDefinition(arn))).toBe(true);
        expect(taskDefinitionFamily(shortTaskDefinition(arn))).toBe(f);
      }),
    );
  });

  test('a revision 0 or with leading zeros is no reference, as an ARN or as family:revision', () => {
    const badRevision = fc.oneof(
      fc.constant('0'),
      fc.integer({ min: 0, max: 10 ** 6 }).map((n) => `0${n}`),
    );
    fc.assert(
      fc.property(partition, region, account, family, badRevision, (p, r, a, f, revision) => {
        for (const reference of [arnOf(p, r, a, `${f}:${revision}`), `${f}:${revision}`]) {
          expect(isTaskDefinitionReference(reference)).toBe(false);
          expect(taskDefinitionFamily(reference)).toBeUndefined();
          expect(shortTaskDefinition(reference)).toBe(reference);
        }
      }),
    );
  });
});

describe('taskId', () => {
  const HEX = '0123456789abcdef0123456789abcdef';
  test.each([
    [`arn:aws:ecs:us-east-1:123456789012:task/prod/${HEX}`, HEX],
    [`arn:aws:ecs:us-east-1:123456789012:task/${HEX}`, HEX],
    [
      'arn:aws:ecs:us-east-1:123456789012:task/prod/2e5c4f1a-1b2c-4d3e-9f00-123456789abc',
      '2e5c4f1a-1b2c-4d3e-9f00-123456789abc',
    ],
    [
      `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${HEX}`,
      `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${HEX}`,
    ],
    [HEX, HEX],
  ])('%s → %s', (arn, id) => {
    expect(taskId(arn)).toBe(id);
  });

  test('the id of a task ARN is its last segment, whatever the cluster', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,255}$/), fc.stringMatching(/^[0-9a-f]{32}$/), (cluster, id) => {
        expect(taskId(`arn:aws:ecs:eu-west-1:123456789012:task/${cluster}/${id}`)).toBe(id);
      }),
    );
  });
});

describe('service ARNs', () => {
  const PREFIX = 'arn:aws:ecs:us-east-1:123456789012';
  test.each([
    [`${PREFIX}:service/prod/web`, 'web'],
    [`${PREFIX}:service/web`, 'web'],
    ['arn:aws-us-gov:ecs:us-gov-west-1:123456789012:service/prod/api_2', 'api_2'],
    ['web', 'web'],
    // Not a service ARN (a cluster, a 1-digit account, a service deployment, a path too deep): as it is.
    ...[
      `${PREFIX}:cluster/prod`,
      'arn:aws:ecs:us-east-1:1:service/prod/web',
      `${PREFIX}:service-deployment/prod/web/abc`,
      `${PREFIX}:service/a/b/c`,
    ].map((other) => [other, other]),
  ])('%s', (reference, service) => {
    expect(serviceName(reference)).toBe(service);
  });

  test('service lists take service ARNs of either form, and nothing else that looks like one', () => {
    expect(parseServiceList('services', [`${PREFIX}:service/prod/web`, `${PREFIX}:service/api`])).toHaveLength(2);
    expect(() => parseServiceList('services', [`${PREFIX}:service/prod/web/extra`])).toThrow('is not a service name');
    expect(() => parseServiceList('services', [`${PREFIX}:cluster/prod`])).toThrow('is not a service name');
  });

  test.each([
    ['web', { serviceName: 'web', serviceArn: `${PREFIX}:service/prod/web` }, true],
    [`${PREFIX}:service/prod/web`, { serviceName: 'web', serviceArn: `${PREFIX}:service/prod/web` }, true],
    [`${PREFIX}:service/web`, { serviceName: 'web', serviceArn: `${PREFIX}:service/prod/web` }, true],
    ['web', { serviceArn: `${PREFIX}:service/prod/web` }, true],
    ['web', { serviceName: 'api', serviceArn: `${PREFIX}:service/prod/api` }, false],
    ['web', { serviceArn: undefined }, false],
  ])('isSameService(%s, %j) → %s', (reference, service, same) => {
    expect(isSameService(reference, service)).toBe(same);
  });

  test('every service ARN is read back as its name; every cluster ARN is a cluster', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,255}$/);
    const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov');
    const region = fc.constantFrom('us-east-1', 'eu-north-1', 'cn-north-1', 'us-gov-west-1');
    const account = fc.stringMatching(/^\d{12}$/);
    fc.assert(
      fc.property(partition, region, account, name, name, (p, r, a, cluster, service) => {
        const prefix = `arn:${p}:ecs:${r}:${a}`;
        expect(serviceName(`${prefix}:service/${cluster}/${service}`)).toBe(service);
        expect(serviceName(`${prefix}:service/${service}`)).toBe(service);
        expect(parseCluster('cluster', `${prefix}:cluster/${cluster}`)).toBe(`${prefix}:cluster/${cluster}`);
        expect(isSameService(service, { serviceArn: `${prefix}:service/${cluster}/${service}` })).toBe(true);
        expect(parseServiceList('services', [`${prefix}:service/${cluster}/${service}`])).toHaveLength(1);
      }),
    );
  });
});

describe('imageHasTag', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  test.each([
    ['example/web:v1.2.3', 'v1.2.3', true],
    ['example/web:v1.2.3', 'v1.2', false],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/web:production-abc1234', 'production-abc1234', true],
    ['registry:5000/web:v1', 'v1', true],
    ['registry:5000/web', '5000', false],
    ['example/web', 'latest', false],
    [`example/web:v1@${digest}`, 'v1', true],
    [`example/web@${digest}`, digest, true],
    [`example/web:v1@${digest}`, digest, true],
    ['example/web:v1', digest, false],
  ])('%s has %s: %s', (image, tag, expected) => {
    expect(imageHasTag(image, tag)).toBe(expected);
  });
});
