// Trims the official AWS API models (botocore's service-2.json, ../shared/aws-models by default) to what Shipyard
// checks against: every operation's output shape and error codes, plus the input shapes named below, without
// documentation. Writes aws-models/<service>.json, which the tests and scripts/task-definition-table.ts read, so
// neither needs the full models on a fresh clone.
//
//   npx tsx scripts/aws-models.ts [path/to/aws-models]
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Shape, ShapeTable, TrimmedModel } from '../packages/platform/src/model-shapes';

export type { TrimmedModel };

/**
 * The services whose answers aws-sim's conformance test checks, and the inputs a generated table is built from.
 * `operations` keeps only those (the operations aws-sim answers), where the whole model would be large.
 */
export const TRIMMED_SERVICES: Record<string, { inputs: string[]; operations?: string[] }> = {
  ecs: { inputs: ['RegisterTaskDefinition'] },
  ecr: { inputs: [] },
  logs: { inputs: [] },
  cloudfront: {
    inputs: [],
    operations: ['CreateInvalidation', 'GetDistribution', 'GetInvalidation', 'ListDistributions', 'ListInvalidations'],
  },
  rds: {
    inputs: [],
    operations: ['CreateDBClusterSnapshot', 'CreateDBSnapshot', 'DescribeDBClusterSnapshots', 'DescribeDBSnapshots'],
  },
};

/** The protocols whose answers are XML documents, read with the wire details compactShape keeps for them. */
const XML_PROTOCOLS = new Set(['rest-xml', 'query']);

export const MODELS_DIR = resolve(__dirname, '..', 'aws-models');
export const DEFAULT_SOURCE = resolve(__dirname, '..', '..', 'shared', 'aws-models');

interface BotocoreMember {
  shape: string;
  location?: string;
  locationName?: string;
}

interface BotocoreShape {
  type: Shape['type'];
  members?: Record<string, BotocoreMember>;
  required?: string[];
  payload?: string;
  flattened?: boolean;
  member?: BotocoreMember;
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  error?: { code?: string };
}

interface BotocoreModel {
  metadata: { protocol: string; apiVersion: string };
  operations: Record<
    string,
    {
      http?: { responseCode?: number };
      input?: { shape: string };
      output?: { shape: string; resultWrapper?: string };
      errors?: { shape: string }[];
    }
  >;
  shapes: Record<string, BotocoreShape>;
}

const LIMITS = ['min', 'max'] as const;

/** What reading an XML answer of this structure needs beyond its members: see Shape. */
function xmlStructureHints(shape: BotocoreShape): Partial<Extract<Shape, { type: 'structure' }>> {
  const members = Object.entries(shape.members ?? {});
  const headers = members.filter(([, m]) => m.location === 'header').map(([name]) => name);
  const renamed = members.filter(([name, m]) => !m.location && m.locationName && m.locationName !== name);
  return {
    ...(renamed.length ? { xmlNames: Object.fromEntries(renamed.map(([name, m]) => [name, m.locationName!])) } : {}),
    ...(headers.length ? { headers } : {}),
    ...(shape.payload ? { payload: shape.payload } : {}),
  };
}

function compactShape(shape: BotocoreShape, xml: boolean): Shape {
  const limits = Object.fromEntries(LIMITS.filter((k) => shape[k] !== undefined).map((k) => [k, shape[k]]));
  switch (shape.type) {
    case 'structure':
      return {
        type: 'structure',
        members: Object.fromEntries(Object.entries(shape.members ?? {}).map(([name, m]) => [name, m.shape])),
        ...(shape.required?.length ? { required: shape.required } : {}),
        ...(xml ? xmlStructureHints(shape) : {}),
      };
    case 'list':
      return {
        type: 'list',
        member: shape.member!.shape,
        ...limits,
        ...(xml && shape.member!.locationName ? { xmlMember: shape.member!.locationName } : {}),
        ...(xml && shape.flattened ? { flattened: true } : {}),
      };
    case 'map':
      return { type: 'map', key: shape.key!.shape, value: shape.value!.shape, ...limits };
    case 'string':
      return {
        type: 'string',
        ...(shape.enum ? { enum: shape.enum } : {}),
        ...limits,
        ...(shape.pattern ? { pattern: shape.pattern } : {}),
      };
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return { type: shape.type, ...limits };
    default:
      return { type: shape.type } as Shape;
  }
}

/** The shapes reachable from `roots`, compacted, in name order (stable output). */
export function shapeClosure(shapes: Record<string, BotocoreShape> | ShapeTable, roots: string[]): string[] {
  const seen = new Set<string>();
  const walk = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const shape = shapes[name] as unknown as Record<string, unknown>;
    const refs = [shape.member, shape.key, shape.value, ...Object.values((shape.members ?? {}) as object)];
    for (const ref of refs) if (ref) walk(typeof ref === 'string' ? ref : (ref as { shape: string }).shape);
  };
  roots.forEach(walk);
  return [...seen].sort();
}

export function trimModel(
  service: string,
  text: string,
  commit: string,
  { inputs, operations: only }: { inputs: string[]; operations?: string[] },
): TrimmedModel {
  const model = JSON.parse(text) as BotocoreModel;
  const xml = XML_PROTOCOLS.has(model.metadata.protocol);
  const errorCode = (name: string) => model.shapes[name].error?.code ?? name;
  const operations: TrimmedModel['operations'] = {};
  const roots: string[] = [];
  for (const [name, operation] of Object.entries(model.operations).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (only && !only.includes(name)) continue;
    const input = inputs.includes(name) ? operation.input?.shape : undefined;
    const output = operation.output?.shape;
    const status = operation.http?.responseCode;
    const resultWrapper = operation.output?.resultWrapper;
    // Error codes: an exception shape's `error.code`, else its name.
    operations[name] = {
      ...(input ? { input } : {}),
      ...(output ? { output } : {}),
      errors: (operation.errors ?? []).map((e) => errorCode(e.shape)),
      ...(xml && status !== undefined && status !== 200 ? { status } : {}),
      ...(xml && resultWrapper ? { resultWrapper } : {}),
    };
    roots.push(...[input, output].filter((s): s is string => s !== undefined));
  }
  const shapes = Object.fromEntries(
    shapeClosure(model.shapes, roots).map((n) => [n, compactShape(model.shapes[n], xml)]),
  );
  return {
    source: `botocore/data/${service}/${model.metadata.apiVersion}/service-2.json`,
    commit,
    sha256: createHash('sha256').update(text).digest('hex'),
    protocol: model.metadata.protocol,
    apiVersion: model.metadata.apiVersion,
    operations,
    shapes,
  };
}

/** The botocore commit the snapshot's README names. */
export function sourceCommit(sourceDir: string): string {
  const readme = readFileSync(join(sourceDir, 'README.md'), 'utf8');
  const commit = /commit ([0-9a-f]{7,40})/.exec(readme)?.[1];
  if (!commit) throw new Error(`${sourceDir}/README.md names no botocore commit.`);
  return commit;
}

export function trimmedText(sourceDir: string, service: string): string {
  const text = readFileSync(join(sourceDir, service, 'service-2.json'), 'utf8');
  return `${JSON.stringify(trimModel(service, text, sourceCommit(sourceDir), TRIMMED_SERVICES[service]))}\n`;
}

export function readTrimmedModel(service: string): TrimmedModel {
  return JSON.parse(readFileSync(join(MODELS_DIR, `${service}.json`), 'utf8')) as TrimmedModel;
}

if (require.main === module) {
  const sourceDir = resolve(process.argv[2] ?? DEFAULT_SOURCE);
  for (const service of Object.keys(TRIMMED_SERVICES)) {
    writeFileSync(join(MODELS_DIR, `${service}.json`), trimmedText(sourceDir, service));
  }
  for (const file of ['LICENSE.txt', 'NOTICE']) copyFileSync(join(sourceDir, file), join(MODELS_DIR, file));
  console.log(`Wrote ${Object.keys(TRIMMED_SERVICES).join(', ')} to ${MODELS_DIR} from ${sourceDir}`);
}
