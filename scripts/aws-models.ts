// Trims the official AWS API models (botocore's service-2.json, ../shared/aws-models by default) to what Shipyard
// checks against: every operation's output shape and error codes, plus the input shapes named below, without
// documentation. Writes aws-models/<service>.json, which the tests and scripts/task-definition-table.ts read, so
// neither needs the full models on a fresh clone.
//
//   npx tsx scripts/aws-models.ts [path/to/aws-models]
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Shape, ShapeTable, TrimmedModel } from '../packages/shared/src/model-shapes';

export type { TrimmedModel };

/** The services whose answers aws-sim's conformance test checks, and the inputs a generated table is built from. */
export const TRIMMED_SERVICES: Record<string, { inputs: string[] }> = {
  ecs: { inputs: ['RegisterTaskDefinition'] },
  ecr: { inputs: [] },
  logs: { inputs: [] },
};

export const MODELS_DIR = resolve(__dirname, '..', 'aws-models');
export const DEFAULT_SOURCE = resolve(__dirname, '..', '..', 'shared', 'aws-models');

interface BotocoreShape {
  type: Shape['type'];
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
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
  operations: Record<string, { input?: { shape: string }; output?: { shape: string }; errors?: { shape: string }[] }>;
  shapes: Record<string, BotocoreShape>;
}

const LIMITS = ['min', 'max'] as const;

function compactShape(shape: BotocoreShape): Shape {
  const limits = Object.fromEntries(LIMITS.filter((k) => shape[k] !== undefined).map((k) => [k, shape[k]]));
  switch (shape.type) {
    case 'structure':
      return {
        type: 'structure',
        members: Object.fromEntries(Object.entries(shape.members ?? {}).map(([name, m]) => [name, m.shape])),
        ...(shape.required?.length ? { required: shape.required } : {}),
      };
    case 'list':
      return { type: 'list', member: shape.member!.shape, ...limits };
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

export function trimModel(service: string, text: string, commit: string, inputs: string[]): TrimmedModel {
  const model = JSON.parse(text) as BotocoreModel;
  const errorCode = (name: string) => model.shapes[name].error?.code ?? name;
  const operations: TrimmedModel['operations'] = {};
  const roots: string[] = [];
  for (const [name, operation] of Object.entries(model.operations).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const input = inputs.includes(name) ? operation.input?.shape : undefined;
    const output = operation.output?.shape;
    // Error codes: an exception shape's `error.code`, else its name.
    operations[name] = {
      ...(input ? { input } : {}),
      ...(output ? { output } : {}),
      errors: (operation.errors ?? []).map((e) => errorCode(e.shape)),
    };
    roots.push(...[input, output].filter((s): s is string => s !== undefined));
  }
  const shapes = Object.fromEntries(shapeClosure(model.shapes, roots).map((n) => [n, compactShape(model.shapes[n])]));
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
  return `${JSON.stringify(trimModel(service, text, sourceCommit(sourceDir), TRIMMED_SERVICES[service].inputs))}\n`;
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
