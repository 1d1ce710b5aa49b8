import * as core from '@actions/core';

/** Skeleton: this action is not built yet, so it fails honestly instead of pretending to succeed. */
export async function run(): Promise<void> {
  core.setFailed('rollback: not implemented yet');
}
