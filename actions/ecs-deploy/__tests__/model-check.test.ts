import fc from 'fast-check';
import { closest, editDistance } from '@shipyard/platform/model-shapes';
import { checkDocumentAgainstModel, checkInputsAgainstModel } from '../src/model-check';
import { ProblemsError } from '../src/problems';
import { fargate } from './fixtures/task-definitions';

const ORIGIN = 'file "td.json"';

type Container = Record<string, unknown>;
type Document = Record<string, unknown> & { containerDefinitions: Container[] };

// The fixture's first container with a value for more of the model's shapes.
const valid = (): Document => ({
  ...structuredClone(fargate),
  containerDefinitions: [
    {
      ...structuredClone(fargate.containerDefinitions![0]),
      essential: true,
      environment: [{ name: 'A', value: '1' }],
      secrets: [{ name: 'S', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/s' }],
      dependsOn: [{ containerName: 'envoy', condition: 'START' }],
      ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }],
      healthCheck: { command: ['CMD', 'true'] },
    },
  ],
});

function problemsOf(document: object): string[] {
  try {
    checkDocumentAgainstModel(document as Record<string, unknown>, ORIGIN);
    return [];
  } catch (error) {
    if (!(error instanceof ProblemsError)) throw error;
    return error.problems.map((p) => p.message);
  }
}

/** Renames `from` to `to` in the object, keeping the value. */
function renamed<T extends object>(object: T, from: string, to: string): T {
  const { [from]: value, ...rest } = object as Record<string, unknown>;
  return { ...rest, [to]: value } as T;
}

const inContainer = (change: (container: Container) => Container): Document => {
  const document = valid() as Document;
  document.containerDefinitions = [change(document.containerDefinitions[0] as Container)];
  return document;
};

// A typo in a key or an enum value: each is rejected, naming the intended spelling.
const KEY_TYPOS: [string, string][] = [
  ['family', 'famliy'],
  ['networkMode', 'netwrokMode'],
  ['containerDefinitions', 'containerDefinition'],
  ['requiresCompatibilities', 'requiresCompatibility'],
  ['cpu', 'cpus'],
];
const CONTAINER_KEY_TYPOS: [string, string][] = [
  ['memoryReservation', 'memoryReservaton'],
  ['portMappings', 'portMapping'],
  ['environment', 'enviroment'],
  ['secrets', 'secret'],
  ['essential', 'esential'],
  ['healthCheck', 'healthcheck'],
  ['logConfiguration', 'logConfiguraton'],
  ['dependsOn', 'dependOn'],
  ['ulimits', 'ulimit'],
];

const corpus: [string, Document, string][] = [
  ...KEY_TYPOS.map(([key, typo]): [string, Document, string] => [typo, renamed(valid() as Document, key, typo), key]),
  ...CONTAINER_KEY_TYPOS.map(([key, typo]): [string, Document, string] => [
    typo,
    inContainer((c) => renamed(c, key, typo)),
    key,
  ]),
  ['stopTimout', inContainer((c) => ({ ...c, stopTimout: 30 })), 'stopTimeout'],
  ['entrypoint', inContainer((c) => ({ ...c, entrypoint: ['sh'] })), 'entryPoint'],
  ['readOnlyRootFilesystem', inContainer((c) => ({ ...c, readOnlyRootFilesystem: true })), 'readonlyRootFilesystem'],
  ['executionRoleARN', { ...valid(), executionRoleARN: 'arn:aws:iam::1:role/x' }, 'executionRoleArn'],
  ['containerPrt', inContainer((c) => ({ ...c, portMappings: [{ containerPrt: 80 }] })), 'containerPort'],
  ['valueFrm', inContainer((c) => ({ ...c, secrets: [{ name: 'S', valueFrm: 'x', valueFrom: 'x' }] })), 'valueFrom'],
  ['networkMode awsvcp', { ...valid(), networkMode: 'awsvcp' }, 'awsvpc'],
  ['protocol tpc', inContainer((c) => ({ ...c, portMappings: [{ containerPort: 80, protocol: 'tpc' }] })), 'tcp'],
  ['logDriver awslog', inContainer((c) => ({ ...c, logConfiguration: { logDriver: 'awslog' } })), 'awslogs'],
  ['compatibility fargate', { ...valid(), requiresCompatibilities: ['fargate'] }, 'FARGATE'],
  [
    'condition HEALTY',
    inContainer((c) => ({ ...c, dependsOn: [{ containerName: 'envoy', condition: 'HEALTY' }] })),
    'HEALTHY',
  ],
  [
    'ulimit nofiles',
    inContainer((c) => ({ ...c, ulimits: [{ name: 'nofiles', softLimit: 1, hardLimit: 1 }] })),
    'nofile',
  ],
];

describe('checkDocumentAgainstModel', () => {
  test('a valid document, nulls and the read-only fields of a saved description pass', () => {
    expect(problemsOf(valid())).toEqual([]);
    expect(problemsOf({ ...valid(), revision: 3, status: 'ACTIVE', taskRoleArn: null })).toEqual([]);
  });

  test(`the typo corpus (${corpus.length} cases) is rejected with a "did you mean"`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    const missed = corpus.filter(([, document, meant]) => {
      const problems = problemsOf(document);
      return !problems.some((p) => p.includes(`did you mean ${JSON.stringify(meant)}?`));
    });
    expect(missed.map(([name]) => name)).toEqual([]);
  });

  test.each([
    [
      'a string where a number goes',
      inContainer((c) => ({ ...c, portMappings: [{ containerPort: '80' }] })),
      'containerDefinitions[0].portMappings[0].containerPort: must be a whole number, got the string "80"',
    ],
    [
      'a number where a string goes',
      { ...valid(), cpu: 256 },
      'cpu: must be a string (write "256" in quotes), got number 256',
    ],
    [
      'a missing required key',
      inContainer((c) => ({ ...c, secrets: [{ name: 'S' }] })),
      'containerDefinitions[0].secrets[0]: "valueFrom" is required',
    ],
    [
      'too many tags',
      { ...valid(), tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) },
      'tags: has 51 items; at most 50',
    ],
    [
      'a tag key too long',
      { ...valid(), tags: [{ key: 'k'.repeat(129), value: 'v' }] },
      'tags[0].key: has 129 characters; at most 128',
    ],
    [
      'a tag key off the pattern',
      { ...valid(), tags: [{ key: 'a#b', value: 'v' }] },
      'tags[0].key: "a#b" does not match the pattern',
    ],
    ['an unknown key far from any', { ...valid(), colour: 'blue' }, 'colour: unknown key "colour"'],
  ])('%s', (_name, document, expected) => {
    expect(problemsOf(document).join('\n')).toContain(expected);
  });

  test('problems point at the line and column of the file', () => {
    const text = [
      '{',
      '  "family": "web",',
      '  "containerDefinitions": [',
      '    { "name": "web", "image": "repo/web:v1", "memoryReservaton": 128,',
      '      "portMappings": [{ "containerPort": 80, "protocol": "tpc" }] }',
      '  ]',
      '}',
    ].join('\n');
    let error: unknown;
    try {
      checkDocumentAgainstModel(JSON.parse(text), ORIGIN, { text, file: 'td.json', prefix: [] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProblemsError);
    expect((error as ProblemsError).problems).toEqual([
      expect.objectContaining({ title: 'Unknown key', file: 'td.json', line: 4, column: 46 }),
      expect.objectContaining({ title: 'Unknown value', file: 'td.json', line: 5, column: 59 }),
    ]);
    expect((error as Error).message).toContain('td.json:4:46: containerDefinitions[0].memoryReservaton');
  });

  test('a YAML file is located too, under a describe-task-definition wrapper', () => {
    const text = 'taskDefinition:\n  family: web\n  netwrokMode: awsvpc\n  containerDefinitions: []\n';
    try {
      checkDocumentAgainstModel({ family: 'web', netwrokMode: 'awsvpc', containerDefinitions: [] }, ORIGIN, {
        text,
        file: 'td.yml',
        prefix: ['taskDefinition'],
      });
      throw new Error('not rejected');
    } catch (error) {
      expect((error as ProblemsError).problems[0]).toMatchObject({ line: 3, column: 3 });
    }
  });
});

describe('checkInputsAgainstModel', () => {
  test('values the inputs set pass when they fit the model', () => {
    expect(() =>
      checkInputsAgainstModel({ env: [{ name: 'A', value: '1' }], secrets: [], cpu: '512', command: ['npm'] }),
    ).not.toThrow();
  });

  test('a secret without a source is rejected naming the input', () => {
    expect(() =>
      checkInputsAgainstModel({ env: [], secrets: [{ name: 'S', value: undefined as unknown as string }] }),
    ).toThrow('Input "secrets" [0]: "valueFrom" is required');
  });
});

describe('closest', () => {
  const keys = ['memory', 'memoryReservation', 'essential', 'environment', 'entryPoint', 'image', 'cpu'];

  test('every known word is its own closest', () => {
    for (const key of keys) expect(closest(key, keys)).toBe(key);
  });

  test('an adjacent transposition in a long word is one edit and is found', () => {
    fc.assert(
      fc.property(fc.constantFrom(...keys.filter((k) => k.length >= 6)), fc.nat(), (key, at) => {
        const i = at % (key.length - 1);
        const typo = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
        return editDistance(typo, key) <= 1 && closest(typo, keys) === key;
      }),
    );
  });

  test('edit distance is symmetric', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => editDistance(a, b) === editDistance(b, a)));
  });
});
