import { DRAIN_PERMISSION, DrainDelays, targetGroupsOf } from '../src/drain';

const group = (name: string) =>
  `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0123456789abcdef`;

/** Lets every read answered so far be taken in (the reads here answer at once). */
const answered = () => new Promise((resolve) => setImmediate(resolve));

/** Captures what the module writes to the log. */
function captureLog(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((text) => {
    lines.push(String(text));
    return true;
  });
  return { lines, restore: () => write.mockRestore() };
}

describe('targetGroupsOf', () => {
  test.each([
    ['no load balancer', undefined, undefined],
    ['a classic load balancer only', [{ loadBalancerName: 'classic', containerName: 'app' }], undefined],
    ['a rolling service', [{ targetGroupArn: group('web') }], [group('web')]],
    [
      'blue/green: the alternate too',
      [{ targetGroupArn: group('blue'), advancedConfiguration: { alternateTargetGroupArn: group('green') } }],
      [group('blue'), group('green')],
    ],
    ['the same group twice', [{ targetGroupArn: group('web') }, { targetGroupArn: group('web') }], [group('web')]],
  ])('%s', (_name, loadBalancers, expected) => {
    expect(targetGroupsOf(loadBalancers as never)).toEqual(expected);
  });
});

describe('DrainDelays', () => {
  test("a service's drain is its groups' longest delay, known once every group answered; each group is read once", async () => {
    const delays: Record<string, number> = { [group('blue')]: 30, [group('green')]: 300, [group('api')]: 0 };
    const read = jest.fn(async (arn: string) => delays[arn]);
    const drains = new DrainDelays(read);
    drains.learn('web', [group('blue'), group('green')]);
    drains.learn('web', [group('blue'), group('green')]);
    drains.learn('api', [group('api'), group('blue')]);
    expect(drains.of('web')).toBeUndefined();
    await answered();
    expect(drains.of('web')).toBe(300_000);
    expect(drains.of('api')).toBe(30_000);
    expect(read.mock.calls.map(([arn]) => arn).sort()).toEqual([group('api'), group('blue'), group('green')].sort());
  });

  test('a service without target groups is not asked about (its groups may come with a later answer)', () => {
    const drains = new DrainDelays(async () => 30);
    drains.learn('web', undefined);
    expect(drains.knows('web')).toBe(false);
    drains.learn('web', [group('web')]);
    expect(drains.knows('web')).toBe(true);
  });

  test('a refused read leaves the drain unknown and says once which permission would give it', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
    const drains = new DrainDelays(async () => Promise.reject(denied));
    const log = captureLog();
    try {
      drains.learn('web', [group('blue'), group('green')]);
      drains.learn('api', [group('api')]);
      await answered();
    } finally {
      log.restore();
    }
    expect(drains.of('web')).toBeUndefined();
    expect(drains.of('api')).toBeUndefined();
    const told = log.lines.filter((line) => line.includes(DRAIN_PERMISSION));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`${DRAIN_PERMISSION} is not allowed`);
    expect(log.lines.join('')).not.toMatch(/::(warning|error)/);
  });

  test('one group failing leaves its services unknown; the others are known', async () => {
    const drains = new DrainDelays(async (arn) => {
      if (arn === group('broken')) throw new Error('socket hang up');
      return 45;
    });
    const log = captureLog();
    try {
      drains.learn('web', [group('web')]);
      drains.learn('api', [group('broken')]);
      await answered();
    } finally {
      log.restore();
    }
    expect(drains.of('web')).toBe(45_000);
    expect(drains.of('api')).toBeUndefined();
    expect(log.lines.join('')).toContain('socket hang up');
  });
});
