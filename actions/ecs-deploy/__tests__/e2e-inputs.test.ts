import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { runAction } from '@shipyard/testkit/run-action';
import { HeldClock } from '@shipyard/testkit/sim-time';
import {
  ACTION_DIR,
  arn,
  CLUSTER,
  deployAction,
  errorsOf,
  mutations,
  runningRevision,
  startWorld,
  taskDefinition,
  writeWorkspaceFile,
  type World,
} from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';

// What the bundled action refuses before changing anything, what it deploys without registering, and what it never
// prints.

let world: World;

const UPPER_JSON = JSON.stringify(taskDefinition('web', 'Example/WEB:v2'));
/** Where the image's value starts on the file's one line. */
const UPPER_IMAGE_COLUMN = UPPER_JSON.indexOf('"Example/WEB:v2"') + 1;

describe('bad inputs: the exact error and not one mutating call', () => {
  beforeAll(async () => {
    world = await startWorld([{ name: 'web' }]);
    writeWorkspaceFile(world, 'td.json', JSON.stringify(taskDefinition('web', 'example/web:v2')));
    writeWorkspaceFile(world, 'broken.json', '{"family": "web",\n  "containerDefinitions": [');
    writeWorkspaceFile(
      world,
      'broken.yaml',
      'family: web\ncontainerDefinitions:\n  - name: app\n   image: example/web:v2\n',
    );
    writeWorkspaceFile(world, 'scalar.yaml', 'postgres://app:hunter2@db.internal/app');
    writeWorkspaceFile(world, 'upper.json', UPPER_JSON);
    writeWorkspaceFile(
      world,
      'bad-size.yaml',
      `family: web\nrequiresCompatibilities: [FARGATE]\nnetworkMode: awsvpc\ncpu: "512"\nmemory: "512"\ncontainerDefinitions:\n  - name: app\n    image: example/web:v2\n`,
    );
    writeWorkspaceFile(
      world,
      'typo.json',
      '{"family": "web",\n "containerDefinitions": [\n  {"name": "web", "image": "example/web:v2", "memoryReservaton": 256}\n]}\n',
    );
  });
  afterAll(() => world.close());
  beforeEach(() => world.sim.control.clearRequests());

  test.each([
    [{ service: '' }, 'Input "service" is required but was empty or not set.'],
    [
      { 'task-definition': 'broken.json' },
      'Input "task-definition" names file "broken.json", which is not valid JSON or YAML (Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 28).',
    ],
    [
      { 'task-definition': 'broken.yaml' },
      'Input "task-definition" names file "broken.yaml", which is not valid JSON or YAML (Sequence item without - indicator at line 4, column 1).',
    ],
    [
      { 'task-definition': 'missing.json' },
      /^Input "task-definition" must be a JSON or YAML object or list, inline or in a file named by its path, got "missing\.json" \(no file at .*\/missing\.json\)\.$/,
    ],
    // Issue 12 defect 2: a file outside the checkout was deployed, and a file's content was quoted in the error.
    [
      { 'task-definition': '/etc/passwd' },
      'Input "task-definition" names "/etc/passwd", which is outside the workspace; give a path inside the checkout.',
    ],
    [
      { 'task-definition': 'scalar.yaml' },
      'Input "task-definition" names file "scalar.yaml", which holds a string instead of a JSON or YAML object or list.',
    ],
    // Issue 12 defect 5: an upper-case repository was registered and deployed.
    [
      { images: 'app=Example/WEB:v2' },
      'Input "images" gives container "app" the image "Example/WEB:v2": the repository must be lower-case; accepted: [host[:port]/]repository[:tag][@sha256:digest], the repository in lower-case, at most 255 characters.',
    ],
    [
      { 'task-definition': 'td.json', images: 'wbe=example/web:v2' },
      'Input "images" names the container "wbe", but the task definition (file "td.json") has only the container "app".',
    ],
    [
      { images: 'wbe=example/web:v2' },
      'Input "images" names the container "wbe", but the task definition (the current task definition web:1 of service "web") has only the container "app".',
    ],
    [
      { memory: '4 GB' },
      'The task definition (the current task definition web:1 of service "web") breaks ECS rules: Fargate has no size with cpu 256 and memory 4096: with cpu 256, memory must be 512, or 1024 to 2048 in steps of 1024.',
    ],
    [
      { timeout: 'ten minutes' },
      'Input "timeout" must be a duration such as 90s, 10m, 1h30m or 500ms (units h, m, s, ms in that order; a plain number means seconds), got "ten minutes".',
    ],
    [
      { strategy: 'blue/green' },
      'Input "strategy" must be one of auto, rolling, blue-green, linear, canary, got "blue/green".',
    ],
    [
      { strategy: 'canary', 'bake-time': '90s' },
      'Input "bake-time" must be whole minutes from 0m to 24h for blue-green, linear and canary deployments (ECS bakeTimeInMinutes), got 1m30s.',
    ],
    [
      { command: 'npm start' },
      'Input "command" must be a non-empty JSON array of strings such as ["npm","start"], got "npm start".',
    ],
    [
      { env: 'app.LOG-LEVEL=debug' },
      'Input "env" has the key "app.LOG-LEVEL": write KEY=value or container.KEY=value, where KEY starts with a letter or _ and holds only letters, digits and _.',
    ],
    [
      { 'verify-body': '$.version == v2' },
      'Input "verify-body" is set but neither "verify-url" nor "verify-test-url" is.',
    ],
    [{ service: 'web\napi' }, 'Service "api" does not exist in cluster "prod" (input "service").'],
    [{ cluster: 'staging' }, 'Cluster "staging" does not exist in us-east-1 (input "cluster").'],
    [
      { strategy: 'blue-green' },
      'Service "web" cannot deploy BLUE_GREEN: it has no load balancer with an advancedConfiguration (alternate target group, listener rules, role) and no Service Connect. Configure the service for blue/green first, or use "strategy: rolling".',
    ],
    [
      { 'task-definition': 'web:9' },
      // Tried for a while first: a revision registered moments ago may be unknown (eventual consistency).
      /^Input "task-definition" names "web:9", which ECS cannot describe in us-east-1 \(ecs:DescribeTaskDefinition failed: ClientException: Unable to describe task definition \(still so after \d+s\w* of retries\)\)/,
    ],
  ])(
    '%j',
    async (inputs, expected) => {
      const run = await deployAction(world, { service: 'web', ...inputs });
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run)).toHaveLength(1);
      const message = errorsOf(run)[0];
      // A refusal after AWS was asked ends by saying nothing changed; the cause comes first.
      const [cause, outcome] = message.split(/; (?=nothing was changed: )/);
      const expectedCause = typeof expected === 'string' && outcome ? expected.replace(/\.$/, '') : expected;
      if (typeof expectedCause === 'string') expect(cause).toBe(`ecs-deploy: ${expectedCause}`);
      else expect(cause.replace(/^ecs-deploy: /, '')).toMatch(expectedCause);
      expect(world.sim.control.mutatingRequests()).toEqual([]);
      expect(run.post?.log).toContain('Nothing to roll back');
    },
    90_000,
  );

  test.each([
    [
      'upper.json',
      { title: 'Invalid task definition', file: 'upper.json', line: '1', col: String(UPPER_IMAGE_COLUMN) },
      'The task definition (file "upper.json") breaks ECS rules: container "app" has the image "Example/WEB:v2": the repository must be lower-case.',
    ],
    [
      'bad-size.yaml',
      { title: 'Invalid task definition', file: 'bad-size.yaml', line: '5', col: '9' },
      'The task definition (file "bad-size.yaml") breaks ECS rules: Fargate has no size with cpu 512 and memory 512: with cpu 512, memory must be 1024 to 4096 in steps of 1024.',
    ],
    [
      'typo.json',
      { title: 'Unknown key', file: 'typo.json', line: '3', col: '46' },
      'The task definition (file "typo.json") does not match the ECS API: containerDefinitions[0].memoryReservaton: unknown key "memoryReservaton"; did you mean "memoryReservation"?',
    ],
  ])('a problem in %s is annotated at its line and the summary points there', async (file, where, expected) => {
    const run = await deployAction(world, { service: 'web', 'task-definition': file });
    expect(run.exitCode).toBe(1);
    const [located, failure] = run.annotations.filter((a) => a.level === 'error');
    expect(located.properties).toEqual(where);
    expect(failure.message).toBe(`ecs-deploy: ${expected}`);
    expect(run.summary).toContain(`\`${file}:${where.line}:${where.col}\``);
    expect(world.sim.control.mutatingRequests()).toEqual([]);
  });

  test('input mistakes are found before any AWS call', async () => {
    await deployAction(world, { service: 'web', command: 'npm start' });
    expect(world.sim.control.requests()).toEqual([]);
  });
});

/** A deployment of web:2 running `image`, started by someone else (it is in flight when the action starts). */
async function deployOutsideTheAction(world: World, image: string): Promise<void> {
  const registered = await world.ecs.send(new RegisterTaskDefinitionCommand(taskDefinition('web', image) as never));
  await world.ecs.send(
    new UpdateServiceCommand({
      cluster: CLUSTER,
      service: 'web',
      taskDefinition: registered.taskDefinition!.taskDefinitionArn,
    }),
  );
}

describe('deploy modes', () => {
  afterEach(() => world.close());

  test('an existing revision ARN is deployed as is, without registering', async () => {
    world = await startWorld([{ name: 'web' }]);
    await world.ecs.send(new RegisterTaskDefinitionCommand(taskDefinition('web', 'example/web:v2') as never));
    world.sim.control.clearRequests();
    const run = await deployAction(world, { service: 'web', 'task-definition': arn('web', 2) });
    expect(errorsOf(run)).toEqual([]);
    expect(mutations(world)).toEqual(['UpdateService web']);
    expect(run.outputs['task-definition-arn']).toBe(arn('web', 2));
    expect(await runningRevision(world, 'web')).toBe('web:2');
  });

  test('a deployment already in flight: refused with zero mutating calls', async () => {
    world = await startWorld([{ name: 'web' }]);
    await deployOutsideTheAction(world, 'example/web:slow');
    world.sim.control.clearRequests();
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v3' });
    expect(world.sim.control.mutatingRequests()).toEqual([]);
    expect(errorsOf(run)).toHaveLength(1);
    expect(errorsOf(run)[0]).toMatch(
      /^ecs-deploy: A deployment is already in flight \("web": ecs-svc\/\d+ of arn:aws:ecs:us-east-1:123456789012:task-definition\/web:2 is IN_PROGRESS\): set "wait-for-in-flight: true" to wait for it, or retry later; nothing was changed: web stays as it was$/,
    );
  });

  test('wait-for-in-flight: waits for the deployment in flight, then deploys', async () => {
    // Time stands still until the action says it waits, so it finds the deployment in flight however late it starts.
    const clock = new HeldClock(60);
    world = await startWorld([{ name: 'web' }], { clock });
    await deployOutsideTheAction(world, 'example/web:v2');
    const run = await deployAction(
      world,
      {
        service: 'web',
        images: 'app=example/web:v3',
        'wait-for-in-flight': 'true',
      },
      {
        onLine: (line) => {
          if (line.includes('Waiting for the deployment in flight')) clock.start();
        },
      },
    );
    expect(errorsOf(run)).toEqual([]);
    expect(run.log).toMatch(
      /Waiting for the deployment in flight to finish: "web": ecs-svc\/\d+ of .*web:2 is IN_PROGRESS/,
    );
    expect(run.outputs).toMatchObject({
      status: 'succeeded',
      'previous-task-definition-arn': arn('web', 2),
      'task-definition-arn': arn('web', 3),
    });
  });

  test('wait: false ends once the service is updated; nothing for the post step to do', async () => {
    world = await startWorld([{ name: 'web' }]);
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v2', wait: 'false' });
    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('started');
    expect(run.summary).toContain('🚀 started (not watched)');
    expect(world.sim.control.requests({ operation: 'DescribeServiceDeployments' })).toEqual([]);
    expect(run.post?.log).toContain('Nothing to roll back');
  });

  test('the same rendered revision as the running one: nothing registered, nothing deployed', async () => {
    world = await startWorld([{ name: 'web' }]);
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v1' });
    expect(errorsOf(run)).toEqual([]);
    expect(mutations(world)).toEqual([]);
    expect(run.log).toContain('web: already runs web:1; nothing to deploy');
    expect(run.outputs).toMatchObject({ status: 'succeeded', 'task-definition-arn': arn('web', 1) });
  });
});

describe('mode plan and register', () => {
  afterEach(() => world.close());

  test('plan: renders, validates and diffs against what runs, changing nothing', async () => {
    world = await startWorld([{ name: 'web' }]);
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v2', mode: 'plan' });
    expect(errorsOf(run)).toEqual([]);
    expect(world.sim.control.mutatingRequests()).toEqual([]);
    expect(run.outputs).toMatchObject({
      status: 'planned',
      'task-definition-arn': '',
      'previous-task-definition-arn': arn('web', 1),
    });
    expect(run.summary).toContain('## ECS deploy plan: web (prod)');
    expect(run.summary).toContain('| web | web:1 → new revision | ROLLING |');
    expect(run.summary).toContain('| container "app" | image | `example/web:v1` | `example/web:v2` |');
  });

  test('plan with a deployment in flight: compares with what runs, last known-good from the history', async () => {
    world = await startWorld([{ name: 'web' }]);
    await deployOutsideTheAction(world, 'example/web:slow');
    world.sim.control.clearRequests();
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v3', mode: 'plan' });
    expect(errorsOf(run)).toEqual([]);
    expect(world.sim.control.mutatingRequests()).toEqual([]);
    expect(run.log).toMatch(/A deployment is in flight \("web": .*\); the plan compares with what runs now\./);
    // No completed deployment to read off the service: the newest SUCCESSFUL one in its history is the known-good.
    expect(run.log).toContain('web: runs web:2 (last known-good web:1)');
    const reads = world.sim.control.requests({ userAgent: 'shipyard/ecs-deploy/' }).map((r) => r.operation);
    expect(reads).toEqual(expect.arrayContaining(['ListServiceDeployments', 'DescribeServiceRevisions']));
  });

  test('plan without AWS credentials: validates the file only', async () => {
    world = await startWorld([{ name: 'web' }]);
    writeWorkspaceFile(world, 'td.json', JSON.stringify(taskDefinition('web', 'example/web:v2')));
    const run = await runAction({
      actionDir: ACTION_DIR,
      inputs: { cluster: CLUSTER, service: 'web', 'task-definition': 'td.json', mode: 'plan' },
      env: { AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', HOME: world.workspace },
      workspace: world.workspace,
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('planned');
    expect(run.annotations.map((a) => a.level)).toEqual(['warning']);
    expect(run.annotations[0].message).toMatch(
      /^Planned without AWS \(Could not load credentials from any providers\): no diff against what runs now\. The task definition \(file "td\.json"\) renders and meets the ECS rules\.$/,
    );
  });

  test('register: one revision, no service update, its ARN as output', async () => {
    world = await startWorld([{ name: 'web' }]);
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v2', mode: 'register' });
    expect(errorsOf(run)).toEqual([]);
    expect(mutations(world)).toEqual(['RegisterTaskDefinition web']);
    expect(run.outputs).toMatchObject({ status: 'registered', 'task-definition-arn': arn('web', 2) });
    expect(await runningRevision(world, 'web')).toBe('web:1');
  });

  test('register: lines for containers this revision lacks are skipped (a release of several images)', async () => {
    world = await startWorld([{ name: 'web' }]);
    const run = await deployAction(world, {
      service: 'web',
      images: 'app=example/web:v2\nworker=example/worker:v2',
      mode: 'register',
    });
    expect(errorsOf(run)).toEqual([]);
    expect(mutations(world)).toEqual(['RegisterTaskDefinition web']);
    expect(run.outputs).toMatchObject({ status: 'registered', 'task-definition-arn': arn('web', 2) });
  });

  test('register then deploy with the same inputs: one revision, registered once, then deployed', async () => {
    world = await startWorld([{ name: 'web' }]);
    const inputs = { service: 'web', images: 'app=example/web:v2' };
    const register = await deployAction(world, { ...inputs, mode: 'register' });
    const deploy = await deployAction(world, inputs);
    expect([...errorsOf(register), ...errorsOf(deploy)]).toEqual([]);
    expect(mutations(world)).toEqual(['RegisterTaskDefinition web', 'UpdateService web']);
    expect(deploy.log).toContain('Reusing web:2: identical to what this run would register');
    expect(register.outputs['task-definition-arn']).toBe(arn('web', 2));
    expect(deploy.outputs).toMatchObject({ status: 'succeeded', 'task-definition-arn': arn('web', 2) });
    expect(await runningRevision(world, 'web')).toBe('web:2');
  });

  test('register then deploy from a file that leaves out what ECS fills in: registered once', async () => {
    world = await startWorld([{ name: 'web' }]);
    writeWorkspaceFile(world, 'td.json', JSON.stringify(taskDefinition('web', 'example/web:v1')));
    const inputs = { service: 'web', 'task-definition': 'td.json', images: 'app=example/web:v2' };
    await deployAction(world, { ...inputs, mode: 'register' });
    const deploy = await deployAction(world, inputs);
    expect(errorsOf(deploy)).toEqual([]);
    expect(mutations(world)).toEqual(['RegisterTaskDefinition web', 'UpdateService web']);
    expect(deploy.outputs['task-definition-arn']).toBe(arn('web', 2));
  });

  test('register again with the same inputs: the latest revision is reused, its ARN is the output', async () => {
    world = await startWorld([{ name: 'web' }]);
    const inputs = { service: 'web', images: 'app=example/web:v2', mode: 'register' };
    await deployAction(world, inputs);
    const again = await deployAction(world, inputs);
    expect(errorsOf(again)).toEqual([]);
    expect(mutations(world)).toEqual(['RegisterTaskDefinition web']);
    expect(again.outputs).toMatchObject({ status: 'registered', 'task-definition-arn': arn('web', 2) });
  });

  test.each([
    ['a changed image', { images: 'app=example/web:v3' }, {}],
    ['another run (its provenance tags differ)', {}, { GITHUB_RUN_ID: '1000000002', GITHUB_SHA: 'f'.repeat(40) }],
    ['other tags', { tags: 'team=payments' }, {}],
  ])('register then deploy with %s: a new revision is registered', async (_, changedInputs, changedEnv) => {
    world = await startWorld([{ name: 'web' }]);
    const inputs = { cluster: CLUSTER, service: 'web', images: 'app=example/web:v2' };
    await deployAction(world, { ...inputs, mode: 'register' });
    const deploy = await runAction({
      actionDir: ACTION_DIR,
      inputs: { ...inputs, ...changedInputs },
      env: { ...world.sim.env, ...changedEnv },
      workspace: world.workspace,
    });
    expect(errorsOf(deploy)).toEqual([]);
    expect(mutations(world)).toEqual(['RegisterTaskDefinition web', 'RegisterTaskDefinition web', 'UpdateService web']);
    expect(deploy.log).not.toContain('Reusing');
    expect(deploy.outputs['task-definition-arn']).toBe(arn('web', 3));
    expect(await runningRevision(world, 'web')).toBe('web:3');
  });

  test('register: images that name none of its containers are an error, nothing registered', async () => {
    world = await startWorld([{ name: 'web' }]);
    const run = await deployAction(world, { service: 'web', images: 'worker=example/worker:v2', mode: 'register' });
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /^ecs-deploy: Input "images" names no container of the current task definition web:1 of service "web" \(it has "app"\): nothing would change/,
      ),
    ]);
    expect(mutations(world)).toEqual([]);
  });
});

describe('keep-revisions', () => {
  afterEach(() => world.close());

  test('deregisters ACTIVE revisions beyond the newest N, never the one to roll back to', async () => {
    world = await startWorld([{ name: 'web' }]);
    for (const tag of ['v2', 'v3']) {
      await world.ecs.send(new RegisterTaskDefinitionCommand(taskDefinition('web', `example/web:${tag}`) as never));
    }
    world.sim.control.clearRequests();
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v4', 'keep-revisions': '2' });
    expect(errorsOf(run)).toEqual([]);
    // web:4 is new, web:3 the other kept one, web:1 ran before (the known-good revision): only web:2 goes.
    expect(mutations(world)).toEqual(['RegisterTaskDefinition web', 'UpdateService web', 'DeregisterTaskDefinition']);
    expect(world.sim.control.requests({ operation: 'DeregisterTaskDefinition' })[0].params).toEqual({
      taskDefinition: arn('web', 2),
    });
    expect(run.log).toContain('Deregistered 1 old revision: web:2');
  });
});

describe('secrets', () => {
  afterEach(() => world.close());

  test('a credential-like env value never reaches the log or the summary; the secret reference is shown', async () => {
    world = await startWorld([{ name: 'web' }]);
    const secretRef = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-password-Ab12Cd';
    const token = 'tok-9f8e7d6c5b4a';
    const run = await deployAction(world, {
      service: 'web',
      images: 'app=example/web:v2',
      secrets: `DB_PASSWORD=${secretRef}`,
      env: `API_TOKEN=${token}\nFEATURE=on`,
    });
    expect(errorsOf(run)).toEqual([]);
    const printed = run.rawLog
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    expect(printed).not.toContain(token);
    expect(run.rawSummary).not.toContain(token);
    expect(run.post?.rawLog).not.toContain(token);
    expect(run.log).toContain(`container "app": secret DB_PASSWORD: added from ${secretRef}`);
    expect(run.log).toMatch(/container "app": env API_TOKEN: added = \(hidden #[0-9a-f]{8}\)/);
    expect(run.log).toMatch(/container "app": env FEATURE: added = \(hidden #[0-9a-f]{8}\)/);
  });
});
