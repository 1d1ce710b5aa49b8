import { join, resolve } from 'node:path';

/** The repository's root (this file is testing/testkit/src/repo.ts). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** An action's folder, the one holding its action.yml, by the action's name. */
export function actionDir(name: string): string {
  return join(REPO_ROOT, 'actions', name);
}
