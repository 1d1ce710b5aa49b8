import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { ConfigError } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';
import { Input } from './constants';
import type { Inputs } from './inputs';
import { render, toRegisterRequest, type RenderChanges } from './render';
import type { DocumentText } from './problems';
import { checkEcsRules, checkReferences } from './validate';

/** The changes the inputs ask for, in the shape render takes. */
export function renderChanges(inputs: Inputs): RenderChanges {
  return {
    container: inputs.container,
    images: inputs.images,
    env: inputs.env,
    secrets: inputs.secrets,
    cpu: inputs.cpu,
    memory: inputs.memory,
    command: inputs.command,
    tags: inputs.tags,
  };
}

/**
 * A task definition (a file's document, checked against the API model when read, or what DescribeTaskDefinition
 * returned) rendered with the changes and checked against the ECS rules. Pure; throws ConfigError naming `origin`,
 * its problems located in `text` when given.
 */
export function renderTaskDefinition(
  base: object,
  changes: RenderChanges,
  origin: string,
  text?: DocumentText,
): RegisterTaskDefinitionRequest {
  const request = toRegisterRequest(base);
  checkReferences(request, changes, origin);
  const rendered = render(request, changes);
  checkEcsRules(rendered, origin, text);
  return rendered;
}

export function containerNames(taskDefinition: { containerDefinitions?: { name?: string }[] }): string[] {
  return (taskDefinition.containerDefinitions ?? []).map((c) => c.name ?? '');
}

/**
 * Several services on their own task definitions (task-definition: current) usually name their containers after
 * themselves: `web=…`, `api=…` lines then apply to the task definitions that have that container. Unprefixed lines
 * and the command apply to every task definition's default container.
 */
export function changesForContainers(changes: RenderChanges, names: string[]): RenderChanges {
  const present = (container: string | undefined) => container === undefined || names.includes(container);
  return {
    ...changes,
    container: changes.container !== undefined && names.includes(changes.container) ? changes.container : undefined,
    images: Object.fromEntries(Object.entries(changes.images).filter(([container]) => present(container))),
    env: changes.env.filter((o) => present(o.container)),
    secrets: changes.secrets.filter((o) => present(o.container)),
  };
}

/** With several task definitions, every container a line names must exist in at least one of them. */
export function checkContainersExistSomewhere(changes: RenderChanges, names: Set<string>, origins: string[]): void {
  const named: [string, string | undefined][] = [
    [Input.Container, changes.container],
    ...Object.keys(changes.images).map((c): [string, string] => [Input.Images, c]),
    ...changes.env.map((o): [string, string | undefined] => [Input.Env, o.container]),
    ...changes.secrets.map((o): [string, string | undefined] => [Input.Secrets, o.container]),
  ];
  const missing = named.find(([, container]) => container !== undefined && !names.has(container));
  if (missing) {
    throw new ConfigError(
      `Input "${missing[0]}" names the container ${quote(missing[1] as string)}, which none of the task definitions ` +
        `has (${origins.join('; ')}; containers ${[...names].map((n) => quote(n)).join(', ')}).`,
    );
  }
}
