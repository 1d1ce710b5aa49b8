import sharedPackage from '../package.json';

/**
 * Shipyard's version, shown in user agents. All packages and actions in the monorepo are released together under
 * one version (tags `v1.x.y`, major tag `v1`), so the platform package's version is the version of every action.
 */
export const SHIPYARD_VERSION: string = sharedPackage.version;

/** The user agent Shipyard sends to AWS and GitHub: `shipyard/<action>/<version>`. */
export function shipyardUserAgent(action: string): string {
  return `shipyard/${action}/${SHIPYARD_VERSION}`;
}
