import * as core from './core';
import { describeError } from './errors';

let openGroups = 0;

/**
 * Runs one phase of an action inside a collapsible log group, closed in `finally` so a failing phase does not
 * swallow the lines after it. GitHub cannot nest groups (a new one silently closes the open one), so a group
 * started inside another becomes a plain heading line.
 */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (openGroups > 0) {
    core.info(`▸ ${name}`);
    return fn();
  }
  core.startGroup(name);
  openGroups++;
  try {
    return await fn();
  } finally {
    openGroups--;
    core.endGroup();
  }
}

/**
 * An error annotation (shown on the run's summary page and, with `file`/`startLine`, on the diff). An Error or an
 * AWS SDK error is described in one line, the way runAction would.
 */
export function annotateError(problem: unknown, properties?: core.AnnotationProperties): void {
  core.error(typeof problem === 'string' ? problem : describeError(problem), properties);
}
