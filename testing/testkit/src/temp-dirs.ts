/**
 * Temporary folders for one test file, all removed after its last test: call tempDirs() at the top of the file
 * (it registers the afterAll hook) and the function it returns wherever a folder is needed. jest's global teardown
 * fails the run when anything is left in the temporary folder.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDirs(): (prefix: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  // realpath: on macOS the temporary folder is a symlink, and code under test compares the paths it is given.
  return (prefix) => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
    made.push(dir);
    return dir;
  };
}
