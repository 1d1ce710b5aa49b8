import { runPostStep } from '@shipyard/platform/post-step';
import { State } from './constants';

/** The post step: rolls back what a cancelled deploy started (cancel.ts); after a normal end, nothing. */
export function run(): Promise<void> {
  return runPostStep({
    idle: (saved) => saved(State.Settled) === 'true' || !saved(State.Deployments),
    idleMessage: 'Nothing to roll back: the deploy step ended on its own.',
    load: () => import('./cancel'),
  });
}
