import { runPostStep } from '@shipyard/platform/post-step';
import { State } from './constants';

/** The post step: logs out of every registry main logged in to (login.ts). */
export function run(): Promise<void> {
  return runPostStep({
    idle: (saved) => !saved(State.LoggedIn) || saved(State.LoggedIn) === '[]',
    idleMessage: 'No registry to log out of.',
    load: () => import('./login'),
  });
}
