import * as core from '@shipyard/platform/core';
import { State } from './constants';

// Everything the post step needs to roll back after a cancelled run, saved as soon as each deployment starts.

export interface SavedDeployment {
  service: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
  knownGood?: string;
  deploymentId?: string;
  serviceDeploymentArn?: string;
}

export interface SavedState {
  cluster: string;
  region: string;
  deployments: SavedDeployment[];
}

export function saveDeployments(state: SavedState): void {
  core.saveState(State.Deployments, JSON.stringify(state));
}

/** Main reached a verdict (and rolled back itself when needed): the post step has nothing to do. */
export function markSettled(): void {
  core.saveState(State.Settled, 'true');
}

export function readSavedState(): { settled: boolean; saved?: SavedState } {
  const settled = core.getState(State.Settled) === 'true';
  const raw = core.getState(State.Deployments);
  if (!raw) return { settled };
  try {
    return { settled, saved: JSON.parse(raw) as SavedState };
  } catch {
    core.warning(`The saved deployment state is not JSON; nothing to roll back: ${raw.slice(0, 200)}`);
    return { settled };
  }
}
