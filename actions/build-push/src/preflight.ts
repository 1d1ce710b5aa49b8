import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '@shipyard/shared/errors';
import { quote } from '@shipyard/shared/inputs';
import { Input } from './constants';
import type { BuildInputs } from './inputs';

// buildx also builds from a git URL or a tarball URL; those are checked by buildx itself.
const REMOTE_CONTEXT = /^(?:https?:\/\/|git@|git:\/\/|github\.com\/)/;

function kind(path: string): 'file' | 'directory' | undefined {
  try {
    const stats = statSync(path);
    return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The build context, Dockerfile and secret files must exist before anything is logged in or created, so a typo
 * costs seconds instead of a half-done run. Paths resolve like buildx resolves them: against the working directory.
 */
export function checkBuildFiles(build: BuildInputs, cwd: string = process.cwd()): void {
  const remote = REMOTE_CONTEXT.test(build.context);
  if (!remote && kind(resolve(cwd, build.context)) !== 'directory') {
    throw new ConfigError(`Input "${Input.Context}" names ${quote(build.context)}, which is not a directory here.`);
  }
  const dockerfile = build.file || (remote ? '' : `${build.context}/Dockerfile`);
  if (dockerfile && !remote && kind(resolve(cwd, dockerfile)) !== 'file') {
    const input = build.file ? Input.File : Input.Context;
    throw new ConfigError(`Input "${input}": no Dockerfile at ${quote(dockerfile)}.`);
  }
  for (const [id, path] of Object.entries(build.secretFiles)) {
    if (kind(resolve(cwd, path)) !== 'file') {
      throw new ConfigError(
        `Input "${Input.SecretFiles}" secret ${quote(id)} names ${quote(path)}, which is not a file.`,
      );
    }
  }
}
