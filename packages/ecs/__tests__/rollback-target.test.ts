import {
  chooseRollbackMethod,
  describeRollbackTarget,
  parseRollbackTarget,
  previousTaskDefinition,
  type HistoryEntry,
} from '../src/rollback/target';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:41';
const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseRollbackTarget', () => {
  test.each([
    ['', { kind: 'last-known-good' }, 'last-known-good'],
    ['  last-known-good ', { kind: 'last-known-good' }, 'last-known-good'],
    ['previous', { kind: 'previous' }, 'previous'],
    ['42', { kind: 'revision', revision: 42 }, '42'],
    ['web:41', { kind: 'task-definition', reference: 'web:41' }, 'web:41'],
    [ARN, { kind: 'task-definition', reference: ARN }, ARN],
    ['image:v1.2.3', { kind: 'image-tag', tag: 'v1.2.3' }, 'image:v1.2.3'],
    ['image:production-6dcb09b', { kind: 'image-tag', tag: 'production-6dcb09b' }, 'image:production-6dcb09b'],
    ['image:42', { kind: 'image-tag', tag: '42' }, 'image:42'],
    [`image:${digest}`, { kind: 'image-tag', tag: digest }, `image:${digest}`],
  ])('%j', (raw, target, described) => {
    const parsed = parseRollbackTarget('target', raw);
    expect(parsed).toEqual(target);
    expect(describeRollbackTarget(parsed)).toBe(described);
  });

  const usage =
    'must be last-known-good, previous, a revision number (42), a task definition (family:42 or its ARN) or an ' +
    'image tag (image:v1.2.3)';
  test.each([
    ['Last-Known-Good', `Input "target" ${usage}, got "Last-Known-Good".`],
    ['0', `Input "target" ${usage}, got "0".`],
    ['-1', `Input "target" ${usage}, got "-1".`],
    ['web:0', `Input "target" ${usage}, got "web:0".`],
    [
      'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
      `Input "target" ${usage}, got "arn:aws:ecs:us-east-1:123456789012:service/prod/web".`,
    ],
    ['v1.2.3', `Input "target" ${usage}, got "v1.2.3".`],
    ['image:', 'Input "target" names the image tag "", which is neither a tag'],
    ['image:-rc1', 'Input "target" names the image tag "-rc1", which is neither a tag'],
    ['image:sha256:abc', 'Input "target" names the image tag "sha256:abc", which is neither a tag'],
  ])('rejects %j', (raw, message) => {
    expect(() => parseRollbackTarget('target', raw)).toThrow(message);
  });
});

const td = (revision: number) => `web:${revision}`;
/** Chronological rows (oldest first, as people tell a history); the functions read them newest first. */
const history = (...rows: [status: string, target: number, sources: number[]][]): HistoryEntry[] =>
  rows
    .map(([status, target, sources], i) => ({
      serviceDeploymentArn: `sd/${i}`,
      status,
      createdAt: new Date(i * 60_000),
      targetTaskDefinition: td(target),
      sourceTaskDefinitions: sources.map(td),
    }))
    .reverse();

describe('previousTaskDefinition', () => {
  test.each([
    ['one step back', history(['SUCCESSFUL', 1, []], ['SUCCESSFUL', 2, [1]]), 2, td(1)],
    ['skipped revisions: 3 and 4 never ran', history(['SUCCESSFUL', 2, [1]], ['SUCCESSFUL', 5, [2]]), 5, td(2)],
    [
      'an unchanged redeploy is skipped',
      history(['SUCCESSFUL', 1, []], ['SUCCESSFUL', 2, [1]], ['SUCCESSFUL', 2, [2]]),
      2,
      td(1),
    ],
    [
      'after ECS rolled a deployment back, from the revision that runs',
      history(['SUCCESSFUL', 1, []], ['SUCCESSFUL', 2, [1]], ['ROLLBACK_SUCCESSFUL', 3, [2]]),
      2,
      td(1),
    ],
    ['while deploying, what runs', history(['SUCCESSFUL', 2, [1]], ['IN_PROGRESS', 3, [2]]), 3, td(2)],
    ['no deployment of the current revision', history(['SUCCESSFUL', 2, [1]]), 3, undefined],
    ['the first deployment has no source', history(['SUCCESSFUL', 1, []]), 1, undefined],
  ])('%s', (_name, entries, current, expected) => {
    expect(previousTaskDefinition(entries, td(current))).toBe(expected);
  });
});

describe('chooseRollbackMethod', () => {
  const current = (status: string, target: number, sources: number[]): HistoryEntry => ({
    serviceDeploymentArn: 'sd/current',
    status,
    targetTaskDefinition: td(target),
    sourceTaskDefinitions: sources.map(td),
  });
  test.each([
    ['stable on another revision', td(2), td(3), current('SUCCESSFUL', 3, [2]), 'update'],
    ['already on the target', td(2), td(2), current('SUCCESSFUL', 2, [1]), 'none'],
    ['no service-deployment view', td(2), td(3), undefined, 'update'],
    ['in flight, target is where ROLLBACK returns', td(2), td(3), current('IN_PROGRESS', 3, [2]), 'stop'],
    ['pending, target is where ROLLBACK returns', td(2), td(3), current('PENDING', 3, [2]), 'stop'],
    ['in flight, another target replaces it', td(1), td(3), current('IN_PROGRESS', 3, [2]), 'update'],
    ['in flight towards the target itself', td(3), td(3), current('IN_PROGRESS', 3, [2]), 'await'],
    ['ECS rolling back to the target', td(2), td(2), current('ROLLBACK_IN_PROGRESS', 3, [2]), 'await'],
    ['ECS rolling back elsewhere', td(1), td(2), current('ROLLBACK_REQUESTED', 3, [2]), 'update'],
    ['ECS rolled back to the target', td(2), td(2), current('ROLLBACK_SUCCESSFUL', 3, [2]), 'none'],
    ['a stop was requested', td(2), td(3), current('STOP_REQUESTED', 3, [2]), 'update'],
    ['the last deployment stopped', td(2), td(3), current('STOPPED', 3, [2]), 'update'],
  ])('%s → %s', (_name, target, primary, deployment, method) => {
    expect(chooseRollbackMethod(target, primary, deployment)).toBe(method);
  });
});
