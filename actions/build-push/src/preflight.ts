import { ConfigError } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';
import { isWorkspaceFile, requireInWorkspace } from '@shipyard/platform/workspace-path';
import { Input } from './constants';
import type { BuildInputs } from './inputs';

// buildx also builds from a git URL or a tarball URL; those are checked by buildx itself.
const REMOTE_CONTEXT = /^(?:https?:\/\/|git@|git:\/\/|github\.com\/)/;

/**
 * The build context, Dockerfile and secret files must exist inside the workspace before anything is logged in or
 * created, so a typo costs seconds instead of a half-done run, and no file outside the checkout reaches the build.
 */
export function checkBuildFiles(build: BuildInputs, env: NodeJS.ProcessEnv = process.env): void {
  const remote = REMOTE_CONTEXT.test(build.context);
  if (!remote) requireInWorkspace(Input.Context, build.context, 'directory', env);
  const dockerfile = build.file || (remote ? '' : `${build.context}/Dockerfile`);
  if (dockerfile && !remote) {
    const input = build.file ? Input.File : Input.Context;
    if (!isWorkspaceFile(input, dockerfile, env)) {
      throw new ConfigError(`Input "${input}": no Dockerfile at ${quote(dockerfile)} in the workspace.`);
    }
  }
  for (const [id, path] of Object.entries(build.secretFiles)) {
    if (!isWorkspaceFile(Input.SecretFiles, path, env)) {
      throw new ConfigError(
        `Input "${Input.SecretFiles}" secret ${quote(id)} names ${quote(path)}, which is not a file in the workspace.`,
      );
    }
  }
}
