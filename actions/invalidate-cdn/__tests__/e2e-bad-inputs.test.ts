/** The generated bad-input corpus (testing/testkit/src/bad-inputs.ts) against the bundled action and aws-sim. */
import type { Sim } from '@shipyard/aws-sim/server';
import { badInputCases, corpusSize, runBadInputCorpus, simSlot, type InputTable } from '@shipyard/testkit/bad-inputs';
import { ACTION_DIR, invalidateCdn, SITE, startCdnSim } from '@shipyard/testkit/fixtures/invalidate-cdn/cdn-sim';

/** Not URL paths: relative, with a ".." segment, a space, a control character, or too long. */
const URL_PATHS = ['app', '/a/../b', '/has space', '/x\u0007', `/${'x'.repeat(1100)}`];

const INPUTS: InputTable = {
  distributions: { kind: 'list' },
  paths: { free: 'any text is a URL path once percent-encoded: normalised, not refused' },
  'changed-files': { free: 'lines that name no file of the site are ignored, by design (a git diff lists sources)' },
  'changed-files-file': { kind: 'path' },
  // A folder the changed files are relative to: it need not exist on the runner (paths are mapped, not read).
  'files-root': {
    kind: 'path',
    values: ['../../../../../../etc', '/etc', 'a\u0001b', 'dist/../../..'],
    with: { 'changed-files': 'dist/index.html' },
  },
  'url-prefix': { kind: 'identifier', values: URL_PATHS, with: { 'changed-files': 'index.html' } },
  'origin-path': { kind: 'identifier', values: URL_PATHS, with: { 'changed-files': 'upload: a.js to s3://b/a.js' } },
  'directory-index': { kind: 'text' },
  'cost-mode': { kind: 'boolean' },
  'path-budget': { kind: 'integer' },
  wait: { kind: 'boolean' },
  timeout: { kind: 'duration' },
  'idempotency-scope': { kind: 'choice' },
};

const { perInput, concurrency } = corpusSize();
const cases = badInputCases(ACTION_DIR, INPUTS, { distributions: SITE, paths: '/index.html' }, perInput);
let sims: Sim[] = [];
beforeAll(async () => {
  sims = await Promise.all(Array.from({ length: concurrency }, () => startCdnSim()));
});
afterAll(() => Promise.all(sims.map((sim) => sim.close())));

test(`${cases.length} malformed inputs are refused, naming the input, before any AWS change`, async () => {
  const report = await runBadInputCorpus(
    cases,
    sims.map((sim) => simSlot(sim, (inputs) => invalidateCdn(sim, inputs))),
  );
  expect(report.failures).toEqual([]);
  expect(report).toMatchObject({ mutatingRequests: 0, stackTraces: 0 });
}, 600_000);
