import { runPostStep } from '@shipyard/platform/post-step';
import { State } from './constants';

/** The post step: stops a migration task main started and did not see stop (cleanup.ts). */
export function run(): Promise<void> {
  return runPostStep({
    idle: (saved) => saved(State.TaskSettled) === 'true' || (!saved(State.StartedBy) && !saved(State.TaskArn)),
    idleMessage: 'No migration task left running by the main step.',
    load: () => import('./cleanup'),
  });
}
