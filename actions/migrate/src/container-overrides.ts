/**
 * The migration task's container override: built from the inputs, and checked against ECS's size limit while the
 * inputs are read, before anything starts. Its own module, as both inputs.ts and run-task.ts use it.
 */
import type { ContainerOverride } from '@aws-sdk/client-ecs';
import { ConfigError } from '@shipyard/platform/errors';

/** "A total of 8192 characters are allowed for overrides", JSON formatting included (RunTask API reference). */
export const OVERRIDES_MAX_CHARACTERS = 8192;

export function containerOverride(
  container: string,
  command: string[] | undefined,
  environment: Record<string, string>,
): ContainerOverride {
  const variables = Object.entries(environment).map(([name, value]) => ({ name, value }));
  return {
    name: container,
    ...(command ? { command } : {}),
    ...(variables.length ? { environment: variables } : {}),
  };
}

/** Refuses overrides ECS would reject, before anything is started; the count is the JSON ECS receives. */
export function assertOverridesFit(override: ContainerOverride): void {
  const size = JSON.stringify({ containerOverrides: [override] }).length;
  if (size > OVERRIDES_MAX_CHARACTERS) {
    throw new ConfigError(
      `The command and environment-variables come to ${size} characters of container overrides; ECS accepts at ` +
        `most ${OVERRIDES_MAX_CHARACTERS}. Move long values into the task definition (or Secrets Manager).`,
    );
  }
}
