import * as core from '@shipyard/platform/core';
import { SummaryBuilder, writeSummary } from '@shipyard/platform/summary';
import { Output } from './constants';
import type { Inputs } from './inputs';

// mode plan without AWS credentials (a pull request from a fork has no secrets): the task definition file was
// rendered and checked against the ECS rules already; what runs now cannot be read, so there is no diff.

export function isMissingCredentials(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'CredentialsProviderError' || /could not load credentials|no AWS region/i.test(error.message))
  );
}

export async function planOffline(inputs: Inputs, why: string): Promise<void> {
  const source = inputs.taskDefinition;
  const checked =
    source.kind === 'document'
      ? `The task definition (${source.origin}) renders and meets the ECS rules.`
      : `Nothing to check without AWS: "task-definition" is ${source.kind === 'current' ? 'current' : source.reference}.`;
  core.warning(`Planned without AWS (${why}): no diff against what runs now. ${checked}`);
  core.setOutput(Output.Status, 'planned');
  await writeSummary(
    new SummaryBuilder()
      .heading(`ECS deploy plan: ${inputs.services.join(', ')} (${inputs.cluster})`)
      .raw(`${checked}\n\nNo diff against what runs now: ${why}.`),
  );
}
