import * as core from '@actions/core';

/** Skeleton: this action is not built yet, so it fails honestly instead of pretending to succeed. */
export async function run(): Promise<void> {
  core.setFailed('build-push: not implemented yet');
}
