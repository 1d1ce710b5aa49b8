import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markSettled, readSavedState, saveDeployments, type SavedState } from '../src/state';
import { tempDirs } from '@shipyard/testkit/temp-dirs';

const tempDir = tempDirs();

const saved: SavedState = {
  cluster: 'prod',
  region: 'us-east-1',
  deployments: [
    {
      service: 'web',
      taskDefinitionArn: 'td/web:2',
      previousTaskDefinitionArn: 'td/web:1',
      knownGood: 'td/web:1',
      deploymentId: 'ecs-svc/1',
    },
  ],
};

describe('state for the post step', () => {
  afterEach(() => {
    delete process.env.GITHUB_STATE;
    delete process.env.STATE_deployments;
    delete process.env.STATE_settled;
  });

  test('main writes the deployments and the settled mark to GITHUB_STATE', () => {
    const file = join(tempDir('state-'), 'state');
    writeFileSync(file, '');
    process.env.GITHUB_STATE = file;
    saveDeployments(saved);
    markSettled();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(JSON.stringify(saved));
    expect(text).toMatch(/settled<<.*\ntrue\n/);
  });

  test('post reads them back from STATE_*', () => {
    process.env.STATE_deployments = JSON.stringify(saved);
    expect(readSavedState()).toEqual({ settled: false, saved });
    process.env.STATE_settled = 'true';
    expect(readSavedState().settled).toBe(true);
  });

  test('nothing saved: nothing to roll back', () => {
    expect(readSavedState()).toEqual({ settled: false });
  });
});
