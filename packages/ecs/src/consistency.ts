import * as core from '@shipyard/platform/core';
import { describeError, isAwsSdkError } from '@shipyard/platform/errors';

// ECS's answers that may only mean "not visible yet" (see untilVisible in @shipyard/platform/consistency): ECS does
// not know, for a short while, a task definition revision registered moments ago.

/** ECS's answer for a task definition it does not know: also, for a short while, its answer for a new revision. */
export function isUnknownTaskDefinition(error: unknown): boolean {
  return (
    isAwsSdkError(error) &&
    error.name === 'ClientException' &&
    /unable to describe task definition|taskdefinition not found/i.test(error.message)
  );
}

/** The log line for each retry while ECS does not know a task definition: not yet, if it was just registered. */
export const unknownTaskDefinitionYet = (reference: string) => (error: unknown) =>
  core.info(
    isUnknownTaskDefinition(error)
      ? `ECS does not know task definition ${reference} (yet, if it was just registered); trying again`
      : `${describeError(error)}; trying again`,
  );
