import * as core from '@shipyard/platform/core';
import { DeregisterTaskDefinitionCommand, ListTaskDefinitionsCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { describeError } from '@shipyard/platform/errors';
import { readPages } from '@shipyard/platform/pages';
import { revisionName } from './register';

// keep-revisions: after a successful deploy, deregister the older ACTIVE revisions of each deployed family beyond
// the newest N, never one a deployed service ran before or could roll back to. Deregistered revisions keep running
// where they run; only new services or tasks cannot start from them. A failure here is a warning.

const MAX_DEREGISTRATIONS_PER_RUN = 100;

export function familyOf(taskDefinitionArn: string): string {
  const name = revisionName(taskDefinitionArn);
  return name.slice(0, name.lastIndexOf(':'));
}

/** The revisions to deregister: beyond the newest `keep` (listed newest first), minus the protected ones. */
export function revisionsToDeregister(newestFirst: string[], keep: number, protectedArns: Set<string>): string[] {
  return newestFirst.slice(keep).filter((arn) => !protectedArns.has(arn));
}

async function listActive(ecs: ECSClient, family: string): Promise<string[]> {
  const { items } = await readPages(async (nextToken) => {
    const page = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', nextToken }),
    );
    return { items: page.taskDefinitionArns, next: page.nextToken };
  });
  // familyPrefix matches prefixes: web also lists web-worker.
  return items.filter((arn) => familyOf(arn) === family);
}

export async function deregisterOldRevisions(
  ecs: ECSClient,
  families: string[],
  keep: number,
  protectedArns: Set<string>,
): Promise<string[]> {
  const deregistered: string[] = [];
  for (const family of families) {
    try {
      const candidates = revisionsToDeregister(await listActive(ecs, family), keep, protectedArns);
      for (const arn of candidates.slice(0, MAX_DEREGISTRATIONS_PER_RUN - deregistered.length)) {
        await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
        deregistered.push(arn);
      }
    } catch (error) {
      core.warning(`Old revisions of "${family}" not cleaned up: ${describeError(error)}`);
    }
  }
  core.info(
    deregistered.length
      ? `Deregistered ${deregistered.length} old revision${deregistered.length > 1 ? 's' : ''}: ${deregistered.map(revisionName).join(', ')}`
      : `No revisions beyond the newest ${keep} to deregister.`,
  );
  return deregistered;
}
