import type { ContainerDefinition, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { ConfigError } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';
import { Input } from './constants';
import { ECS_NAME } from '@shipyard/ecs/names';
import { cpuUnits, imageProblem, memoryMiB } from './parse';
import { failOnProblems, type DocumentText, type Problem } from './problems';
import type { RenderChanges } from './render';

// The rules RegisterTaskDefinition (or, worse, the first task launch) would enforce beyond what the API model states
// (model-check.ts), checked before any AWS call so a mistake costs seconds, not a failed deployment. `origin` says
// where the task definition came from, e.g. `file "deploy/web.json"`, so every message points at what to fix.

const MAX_CONTAINERS = 10;

/** Fargate task sizes: CPU units → allowed memory (MiB) as [from, to, step]. */
const FARGATE_MEMORY: Record<number, [number, number, number][]> = {
  256: [
    [512, 512, 1],
    [1024, 2048, 1024],
  ],
  512: [[1024, 4096, 1024]],
  1024: [[2048, 8192, 1024]],
  2048: [[4096, 16384, 1024]],
  4096: [[8192, 30720, 1024]],
  8192: [[16384, 61440, 4096]],
  16384: [[32768, 122880, 8192]],
};

/** Every container the inputs name exists, and unprefixed overrides have a container to go to. */
export function checkReferences(request: RegisterTaskDefinitionRequest, changes: RenderChanges, origin: string): void {
  const names = (request.containerDefinitions ?? []).map((c) => c.name ?? '');
  const listed = names.map((n) => quote(n)).join(', ');
  const missing = (input: string, container: string) =>
    new ConfigError(
      `Input "${input}" names the container ${quote(container)}, but the task definition (${origin}) has ` +
        `${names.length === 1 ? 'only the container' : 'the containers'} ${listed}.`,
    );
  if (changes.container !== undefined && !names.includes(changes.container)) {
    throw missing(Input.Container, changes.container);
  }
  for (const container of Object.keys(changes.images)) {
    if (!names.includes(container)) throw missing(Input.Images, container);
  }
  const needsDefault: string[] = [];
  for (const [input, overrides] of [
    [Input.Env, changes.env],
    [Input.Secrets, changes.secrets],
  ] as const) {
    for (const override of overrides) {
      if (override.container === undefined) needsDefault.push(`"${input}" sets ${override.name}`);
      else if (!names.includes(override.container)) throw missing(input, override.container);
    }
  }
  if (changes.command) needsDefault.push(`"${Input.Command}" is set`);
  if (needsDefault.length > 0 && changes.container === undefined && names.length > 1) {
    throw new ConfigError(
      `Input ${needsDefault[0]} without naming a container, but the task definition (${origin}) has ` +
        `${names.length} containers (${listed}): set "${Input.Container}", or prefix the key (container.KEY=value).`,
    );
  }
}

const at = (path: (string | number)[], message: string): Problem => ({ path, message });

/** The ECS rules the rendered task definition must meet; `text` locates problems in the file it came from. */
export function checkEcsRules(request: RegisterTaskDefinitionRequest, origin: string, text?: DocumentText): void {
  const problems: Problem[] = [];
  const containers = request.containerDefinitions ?? [];
  const family = request.family;
  if (typeof family !== 'string' || !ECS_NAME.test(family)) {
    problems.push(
      at(
        ['family'],
        family === undefined
          ? '"family" is missing'
          : `"family" ${quote(String(family))} must have up to 255 letters, digits, _ and -`,
      ),
    );
  }
  if (containers.length === 0) problems.push(at(['containerDefinitions'], '"containerDefinitions" is empty'));
  if (containers.length > MAX_CONTAINERS) {
    problems.push(
      at(
        ['containerDefinitions'],
        `it has ${containers.length} containers; ECS allows ${MAX_CONTAINERS} per task definition`,
      ),
    );
  }
  const names = containers.map((c) => c.name);
  containers.forEach((container, index) => problems.push(...containerProblems(container, index, names, request)));
  if (containers.length > 0 && !containers.some((c) => c.essential !== false)) {
    problems.push(
      at(['containerDefinitions'], 'no container is essential: at least one needs "essential": true (the default)'),
    );
  }
  problems.push(...sizeProblems(request));
  failOnProblems(`The task definition (${origin}) breaks ECS rules`, problems, text);
}

function containerProblems(
  container: ContainerDefinition,
  index: number,
  names: (string | undefined)[],
  request: RegisterTaskDefinitionRequest,
): Problem[] {
  const problems: Problem[] = [];
  const here = (field: string | (string | number)[], message: string) =>
    problems.push(at(['containerDefinitions', index, ...[field].flat()], message));
  const label = container.name ? `container ${quote(container.name)}` : `containerDefinitions[${index}]`;
  if (typeof container.name !== 'string' || !ECS_NAME.test(container.name)) {
    here('name', `${label} needs a "name" of up to 255 letters, digits, _ and -`);
  } else if (names.indexOf(container.name) !== index) {
    here('name', `${label} is defined twice`);
  }
  if (typeof container.image !== 'string' || container.image.trim() === '') here('image', `${label} has no "image"`);
  else if (imageProblem(container.image)) {
    here('image', `${label} has the image ${quote(container.image)}: ${imageProblem(container.image)}`);
  }
  const awsvpc = request.networkMode === 'awsvpc' || isFargate(request);
  (container.portMappings ?? []).forEach((mapping, m) => {
    if (awsvpc && mapping.hostPort !== undefined && mapping.hostPort !== mapping.containerPort) {
      here(
        ['portMappings', m, 'hostPort'],
        `${label} maps host port ${mapping.hostPort} to container port ${mapping.containerPort}; with awsvpc ` +
          'networking the host port must equal the container port (or be left out)',
      );
    }
  });
  if (awsvpc && container.links?.length)
    here('links', `${label} uses "links", which awsvpc networking does not support`);
  (container.dependsOn ?? []).forEach((dependency, d) => {
    if (!names.includes(dependency.containerName) || dependency.containerName === container.name) {
      here(
        ['dependsOn', d, 'containerName'],
        `${label} depends on ${quote(String(dependency.containerName))}, which is not another container`,
      );
    }
  });
  (container.environment ?? []).forEach((variable, v) => {
    if (typeof variable.name !== 'string' || variable.name === '')
      here(['environment', v], `${label} has an environment entry without a name`);
  });
  const logging = container.logConfiguration;
  if (logging?.logDriver === 'awslogs') {
    if (!logging.options?.['awslogs-group'])
      here('logConfiguration', `${label} logs with awslogs but sets no "awslogs-group"`);
    if (isFargate(request) && !logging.options?.['awslogs-stream-prefix']) {
      here('logConfiguration', `${label} logs with awslogs on Fargate, which needs "awslogs-stream-prefix"`);
    }
  }
  if (
    !isFargate(request) &&
    request.memory === undefined &&
    container.memory === undefined &&
    container.memoryReservation === undefined
  ) {
    here([], `${label} needs "memory" or "memoryReservation" when the task sets no "memory"`);
  }
  return problems;
}

function isFargate(request: RegisterTaskDefinitionRequest): boolean {
  return request.requiresCompatibilities?.includes('FARGATE') ?? false;
}

function sizeProblems(request: RegisterTaskDefinitionRequest): Problem[] {
  const problems: Problem[] = [];
  const cpu = request.cpu === undefined ? undefined : cpuUnits(request.cpu);
  const memory = request.memory === undefined ? undefined : memoryMiB(request.memory);
  if (request.cpu !== undefined && cpu === undefined)
    problems.push(at(['cpu'], `task "cpu" ${quote(String(request.cpu))} is not CPU units or vCPUs`));
  if (request.memory !== undefined && memory === undefined)
    problems.push(at(['memory'], `task "memory" ${quote(String(request.memory))} is not MiB or GB`));
  if (isFargate(request)) {
    if (request.networkMode !== 'awsvpc')
      problems.push(
        at(
          ['networkMode'],
          `Fargate needs "networkMode": "awsvpc", got ${quote(String(request.networkMode ?? 'bridge (the default)'))}`,
        ),
      );
    if (request.cpu === undefined || request.memory === undefined) {
      problems.push(at(['requiresCompatibilities'], 'Fargate needs task-level "cpu" and "memory"'));
    } else if (cpu !== undefined && memory !== undefined && !fargatePairAllowed(cpu, memory)) {
      problems.push(
        at(['memory'], `Fargate has no size with cpu ${cpu} and memory ${memory}: ${fargateMemoryText(cpu)}`),
      );
    }
  }
  const reserved = (request.containerDefinitions ?? []).reduce(
    (sum, c) => sum + (c.memoryReservation ?? c.memory ?? 0),
    0,
  );
  if (memory !== undefined && reserved > memory) {
    problems.push(
      at(['memory'], `the containers reserve ${reserved} MiB of memory in total, more than the task's ${memory} MiB`),
    );
  }
  return problems;
}

export function fargatePairAllowed(cpu: number, memory: number): boolean {
  return (FARGATE_MEMORY[cpu] ?? []).some(
    ([from, to, step]) => memory >= from && memory <= to && (memory - from) % step === 0,
  );
}

function fargateMemoryText(cpu: number): string {
  const ranges = FARGATE_MEMORY[cpu];
  if (!ranges) return `cpu must be one of ${Object.keys(FARGATE_MEMORY).join(', ')}`;
  const text = ranges
    .map(([from, to, step]) => (from === to ? `${from}` : `${from} to ${to} in steps of ${step}`))
    .join(', or ');
  return `with cpu ${cpu}, memory must be ${text}`;
}
