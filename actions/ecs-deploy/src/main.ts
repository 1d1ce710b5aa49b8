import { resolveRegion } from '@shipyard/platform/aws';
import { runAction } from '@shipyard/platform/errors';
import { group } from '@shipyard/platform/log';
import { ACTION } from './constants';
import { readInputs } from './inputs';
import { ProblemsError, reportProblems } from './problems';
import { renderChanges, renderTaskDefinition } from './taskdef';

/**
 * Reads and checks every input and the task definition file without touching AWS (a mistake costs no AWS call
 * and no SDK load), then hands over to the deploy phases, loaded only now.
 */
async function main(): Promise<void> {
  const startedAtMs = Date.now();
  const inputs = await group('Inputs', async () => {
    const inputs = readInputs();
    const source = inputs.taskDefinition;
    if (source.kind === 'document')
      renderTaskDefinition(source.document, renderChanges(inputs), source.origin, source.text);
    return inputs;
  }).catch(async (error: unknown) => {
    if (error instanceof ProblemsError) await reportProblems(error);
    throw error;
  });
  try {
    const region = resolveRegion(inputs.region);
    const { deploy } = await import('./deploy');
    await deploy(inputs, region, startedAtMs);
  } catch (error) {
    if (inputs.mode !== 'plan') throw error;
    const { isMissingCredentials, planOffline } = await import('./offline-plan');
    if (!isMissingCredentials(error)) throw error;
    await planOffline(inputs, error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
}

export async function run(): Promise<void> {
  await runAction(ACTION, main);
}
