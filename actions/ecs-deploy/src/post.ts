import * as core from '@shipyard/shared/core';
import { nothingToRollBack } from './state';

/**
 * The post step runs after every deploy step. Most of the time main reached its verdict and there is nothing to do:
 * that is decided from the saved state alone, before the rollback code and the AWS SDK are loaded.
 */
export async function run(): Promise<void> {
  if (nothingToRollBack()) {
    core.info('Nothing to roll back: the deploy step ended on its own.');
    return;
  }
  const { runPost } = await import('./cancel');
  await runPost();
}

void run();
