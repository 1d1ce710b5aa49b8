import { OVERRIDES_MAX_CHARACTERS, assertOverridesFit, containerOverride } from '../src/container-overrides';

describe('containerOverride', () => {
  test.each([
    [undefined, {}, { name: 'app' }],
    [['npm', 'run', 'db:push'], {}, { name: 'app', command: ['npm', 'run', 'db:push'] }],
    [
      undefined,
      { A: '1', B: 'x=y' },
      {
        name: 'app',
        environment: [
          { name: 'A', value: '1' },
          { name: 'B', value: 'x=y' },
        ],
      },
    ],
  ])('command %j, environment %j → %j', (command, environment, expected) => {
    expect(containerOverride('app', command, environment)).toEqual(expected);
  });
});

describe('assertOverridesFit', () => {
  // The JSON ECS receives: {"containerOverrides":[{"name":"app","environment":[{"name":"V","value":"…"}]}]}
  const framing = JSON.stringify({ containerOverrides: [containerOverride('app', undefined, { V: '' })] }).length;

  test('exactly 8192 characters pass', () => {
    const value = 'x'.repeat(OVERRIDES_MAX_CHARACTERS - framing);
    expect(() => assertOverridesFit(containerOverride('app', undefined, { V: value }))).not.toThrow();
  });

  test('8193 characters are refused, counting the JSON formatting', () => {
    const value = 'x'.repeat(OVERRIDES_MAX_CHARACTERS - framing + 1);
    expect(() => assertOverridesFit(containerOverride('app', undefined, { V: value }))).toThrow(
      'The command and environment-variables come to 8193 characters of container overrides; ECS accepts at most 8192.',
    );
  });

  test('escaped characters count as ECS sees them', () => {
    const quotes = '"'.repeat((OVERRIDES_MAX_CHARACTERS - framing) / 2 + 1);
    expect(() => assertOverridesFit(containerOverride('app', undefined, { V: quotes }))).toThrow(/ECS accepts at most/);
  });
});
