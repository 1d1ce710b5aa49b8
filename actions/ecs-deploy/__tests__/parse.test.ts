import {
  checkTags,
  mergeTags,
  parseCommand,
  parseContainerOverrides,
  parseCpu,
  parseImages,
  parseMemory,
  parseMode,
  parseStrategy,
  parseTaskDefinitionReference,
  taskDefinitionDocument,
} from '../src/parse';

describe('parseTaskDefinitionReference', () => {
  test.each([
    ['', { kind: 'current' }],
    ['current', { kind: 'current' }],
    ['web:42', { kind: 'existing', reference: 'web:42' }],
    [
      'arn:aws:ecs:eu-west-1:123456789012:task-definition/web-app_2:7',
      { kind: 'existing', reference: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web-app_2:7' },
    ],
    ['deploy/task-definition.json', undefined],
    ['{"family":"web"}', undefined],
    ['web:0', undefined],
  ])('%j → %j', (raw, expected) => {
    expect(parseTaskDefinitionReference(raw)).toEqual(expected);
  });

  test('rejects other ARNs', () => {
    expect(() => parseTaskDefinitionReference('arn:aws:ecs:eu-west-1:123456789012:service/prod/web')).toThrow(
      'Input "task-definition" looks like an ARN but not a task definition revision ARN (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>), got "arn:aws:ecs:eu-west-1:123456789012:service/prod/web".',
    );
  });
});

describe('taskDefinitionDocument', () => {
  test.each([
    [
      { family: 'web', containerDefinitions: [] },
      { document: { family: 'web', containerDefinitions: [] }, prefix: [] },
    ],
    [
      { taskDefinition: { family: 'web' }, tags: [] },
      { document: { family: 'web' }, prefix: ['taskDefinition'] },
    ],
  ])('%j', (value, expected) => {
    expect(taskDefinitionDocument('task-definition', value, 'file "td.json"')).toEqual(expected);
  });

  test('rejects a list', () => {
    expect(() => taskDefinitionDocument('task-definition', [{ family: 'web' }], 'file "td.json"')).toThrow(
      'Input "task-definition" (file "td.json") must hold one task definition object, got a list.',
    );
  });
});

describe('parseImages', () => {
  test('accepts tags and digests', () => {
    const images = {
      web: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1.2.3',
      sidecar: `public.ecr.aws/envoy@sha256:${'0123abcd'.repeat(8)}`,
      worker: 'localhost:5000/team/worker__v2:latest',
    };
    expect(parseImages('images', images)).toEqual(images);
  });

  test.each([
    [
      { 'web.app': 'x:1' },
      'Input "images" names the container "web.app": container names have up to 255 letters, digits, _ and -.',
    ],
    [{ web: '' }, 'Input "images" gives container "web" an empty image.'],
    [
      { web: 'repo/web: v1' },
      'Input "images" gives container "web" the image "repo/web: v1": the tag is not 1 to 128 letters, digits, "_", "." or "-"; accepted: [host[:port]/]repository[:tag][@sha256:digest], the repository in lower-case, at most 255 characters.',
    ],
    // Issue 12 defect 5: registries refuse upper-case repositories, but only at pull time, after the deployment began.
    [
      { web: 'Example/WEB:v2' },
      'Input "images" gives container "web" the image "Example/WEB:v2": the repository must be lower-case; accepted: [host[:port]/]repository[:tag][@sha256:digest], the repository in lower-case, at most 255 characters.',
    ],
    [{ web: 'repo@sha256:abc' }, 'the image "repo@sha256:abc": the digest is not algorithm:hex'],
    [{ web: 'bad_host.io:x/web' }, 'the image "bad_host.io:x/web": the registry is not a host name'],
    [{ web: `web:${'v'.repeat(129)}` }, 'the tag is not 1 to 128 letters'],
    [{ web: `r/${'a'.repeat(260)}` }, 'it is longer than 255 characters'],
  ])('rejects %j', (map, message) => {
    expect(() => parseImages('images', map)).toThrow(message);
  });
});

describe('parseContainerOverrides', () => {
  test.each([
    [{ LOG_LEVEL: 'debug' }, [{ container: undefined, name: 'LOG_LEVEL', value: 'debug' }]],
    [{ 'worker.QUEUE': 'a=b=c' }, [{ container: 'worker', name: 'QUEUE', value: 'a=b=c' }]],
    [{ _X: '' }, [{ container: undefined, name: '_X', value: '' }]],
  ])('%j', (map, expected) => {
    expect(parseContainerOverrides('env', map)).toEqual(expected);
  });

  test.each([
    [
      { 'web.LOG-LEVEL': '1' },
      'Input "env" has the key "web.LOG-LEVEL": write KEY=value or container.KEY=value, where KEY starts with a letter or _ and holds only letters, digits and _.',
    ],
    [
      { 'a.b.C': '1' },
      'Input "env" has the key "a.b.C": write KEY=value or container.KEY=value, where KEY starts with a letter or _ and holds only letters, digits and _.',
    ],
  ])('rejects %j', (map, message) => {
    expect(() => parseContainerOverrides('env', map)).toThrow(message);
  });
});

describe('parseCommand', () => {
  test.each([
    ['', undefined],
    ['["npm","start"]', ['npm', 'start']],
    [' ["python", "-m", "app"] ', ['python', '-m', 'app']],
  ])('%j', (raw, expected) => {
    expect(parseCommand('command', raw)).toEqual(expected);
  });

  test.each(['npm start', '[]', '["npm", 1]', '{"cmd":"x"}'])('rejects %j', (raw) => {
    expect(() => parseCommand('command', raw)).toThrow(
      `Input "command" must be a non-empty JSON array of strings such as ["npm","start"], got ${JSON.stringify(raw)}.`,
    );
  });
});

describe('parseCpu / parseMemory', () => {
  test.each([
    ['', undefined],
    ['512', '512'],
    ['0.25 vCPU', '256'],
    ['1 vcpu', '1024'],
    ['.5vCPU', '512'],
  ])('cpu %j → %j', (raw, expected) => {
    expect(parseCpu('cpu', raw)).toBe(expected);
  });

  test.each([
    ['2048', '2048'],
    ['2 GB', '2048'],
    ['0.5GB', '512'],
  ])('memory %j → %j', (raw, expected) => {
    expect(parseMemory('memory', raw)).toBe(expected);
  });

  test.each([
    ['cpu', 'lots', 'Input "cpu" must be CPU units such as 512, or vCPUs such as "0.5 vCPU", got "lots".'],
    ['cpu', '0', 'Input "cpu" must be CPU units such as 512, or vCPUs such as "0.5 vCPU", got "0".'],
    ['memory', '1.5', 'Input "memory" must be MiB such as 2048, or GB such as "2 GB", got "1.5".'],
    ['memory', '2 TB', 'Input "memory" must be MiB such as 2048, or GB such as "2 GB", got "2 TB".'],
  ])('%s rejects %j', (name, raw, message) => {
    const parse = name === 'cpu' ? parseCpu : parseMemory;
    expect(() => parse(name, raw)).toThrow(message);
  });
});

describe('parseStrategy', () => {
  test.each([
    ['', 'auto'],
    ['rolling', 'rolling'],
    ['Blue-Green', 'blue-green'],
    ['canary', 'canary'],
  ])('%j → %j', (raw, expected) => {
    expect(parseStrategy('strategy', raw)).toBe(expected);
  });

  test('rejects others', () => {
    expect(() => parseStrategy('strategy', 'bluegreen')).toThrow(
      'Input "strategy" must be one of auto, rolling, blue-green, linear, canary, got "bluegreen".',
    );
  });
});

describe('parseMode', () => {
  test.each([
    ['', 'deploy'],
    ['register', 'register'],
    ['Plan', 'plan'],
  ])('%j → %j', (raw, expected) => {
    expect(parseMode('mode', raw)).toBe(expected);
  });

  test('rejects others', () => {
    expect(() => parseMode('mode', 'dry-run')).toThrow(
      'Input "mode" must be one of deploy, register, plan, got "dry-run".',
    );
  });
});

describe('mergeTags and checkTags', () => {
  const env = {
    GITHUB_SHA: 'abc123',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: '42',
    GITHUB_ACTOR: 'octocat',
    GITHUB_TRIGGERING_ACTOR: 'hubot',
  };

  test('adds provenance; user tags win', () => {
    expect(mergeTags({ team: 'payments', 'git-sha': 'override' }, env)).toEqual({
      'git-sha': 'override',
      'run-url': 'https://github.com/acme/shop/actions/runs/42',
      'deployed-by': 'hubot',
      team: 'payments',
    });
    expect(mergeTags({}, {})).toEqual({});
  });

  test.each([
    [{ 'aws:owner': 'x' }, 'Input "tags" uses the reserved tag prefix aws: in "aws:owner".'],
    [{ k: 'v'.repeat(257) }, 'Input "tags" tag "k" is too long: keys hold up to 128 characters, values up to 256.'],
    [
      Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
      'Input "tags" adds up to 51 tags; ECS allows 50.',
    ],
  ])('rejects %#', (tags, message) => {
    expect(() => checkTags('tags', tags)).toThrow(message);
  });
});
