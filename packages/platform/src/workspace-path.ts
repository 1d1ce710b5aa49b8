import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError, describeError } from './errors';
import { quote, UNPRINTABLE } from './redact';

// Every path input is relative to the checkout and must stay inside it, symbolic links followed: a workflow can
// take inputs from a pull request, and `../../etc/passwd` (or a committed link to it) must never be read, sent to
// AWS or handed to docker. One home for the rule, so every action refuses the same way.

export type PathKind = 'file' | 'directory';

/** The checkout: GITHUB_WORKSPACE, else the working directory (local runs), with its own links resolved. */
export function workspaceRoot(env: NodeJS.ProcessEnv = process.env): string {
  return realpathSync(env.GITHUB_WORKSPACE || process.cwd());
}

function isInside(root: string, path: string): boolean {
  const rest = relative(root, path);
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest));
}

function escapes(name: string, value: string, how: string): ConfigError {
  return new ConfigError(
    `Input "${name}" names ${quote(value)}, which ${how} outside the workspace; give a path inside the checkout.`,
  );
}

/**
 * The real path of `value` resolved against the workspace, or undefined when nothing is there. Throws a
 * ConfigError naming the input when the path, or the target of a link on it, lies outside the workspace.
 */
export function locateInWorkspace(
  name: string,
  value: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (UNPRINTABLE.test(value)) {
    throw new ConfigError(`Input "${name}" names ${quote(value)}, which holds a control or invisible character.`);
  }
  const root = workspaceRoot(env);
  const path = resolve(root, value);
  if (!isInside(root, path)) throw escapes(name, value, 'is');
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    // Missing, a name too long to be a path, a NUL byte, a path crossing a file: in every case no path here.
    return undefined;
  }
  if (!isInside(root, real)) throw escapes(name, value, 'leads (through a symbolic link)');
  return real;
}

function kindOf(path: string): PathKind | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats?.isFile() ? 'file' : stats?.isDirectory() ? 'directory' : undefined;
}

/** The real path of an existing file or directory inside the workspace; anything else is a ConfigError. */
export function requireInWorkspace(
  name: string,
  value: string,
  kind: PathKind,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const path = locateInWorkspace(name, value, env);
  if (path === undefined || kindOf(path) !== kind) {
    throw new ConfigError(`Input "${name}" names ${quote(value)}, which is not a ${kind} in the workspace.`);
  }
  return path;
}

/** Whether `value` names a file inside the workspace (a path outside it is an error, not a "no"). */
export function isWorkspaceFile(name: string, value: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const path = locateInWorkspace(name, value, env);
  return path !== undefined && kindOf(path) === 'file';
}

/** The text of a file inside the workspace. Errors name the input and the path, never the content. */
export function readWorkspaceFile(name: string, value: string, env: NodeJS.ProcessEnv = process.env): string {
  const path = requireInWorkspace(name, value, 'file', env);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Input "${name}" names file ${quote(value)}, which could not be read (${describeError(error)}).`,
    );
  }
}
