import {
  imageHasTag,
  MAX_SERVICES,
  parseCluster,
  parseEcsName,
  parseSecurityGroupIds,
  parseServiceList,
  parseSubnetIds,
  taskDefinitionInputError,
} from '../src/names';

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
