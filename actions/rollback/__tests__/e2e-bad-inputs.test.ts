/** The generated bad-input corpus (testing/testkit/src/bad-inputs.ts) against the bundled action and aws-sim. */
import { join } from 'node:path';
import { badInputCases, corpusSize, runBadInputCorpus, simSlot, type InputTable } from '@shipyard/testkit/bad-inputs';
import { startRig, type Rig } from '@shipyard/testkit/fixtures/rollback/rig';

const INPUTS: InputTable = {
  cluster: { kind: 'identifier' },
  service: { kind: 'list' },
  target: { kind: 'identifier' },
  'dry-run': { kind: 'boolean' },
  'show-env-values': { kind: 'boolean' },
  wait: { kind: 'boolean' },
  timeout: { kind: 'duration' },
  'verify-url': { kind: 'list' },
  'verify-status': { kind: 'identifier', with: { 'verify-url': 'http://127.0.0.1:9/health' } },
  'verify-body': { free: 'a substring the body must hold: any text' },
  'verify-successes': { kind: 'integer' },
  'verify-interval': { kind: 'duration' },
  'verify-timeout': { kind: 'duration' },
  'github-token': { free: 'a secret, passed to GitHub as it is' },
  environment: { kind: 'text' },
  'environment-url': { kind: 'identifier', with: { environment: 'production' } },
  region: { kind: 'identifier' },
  'max-attempts': { kind: 'integer' },
};

const { perInput, concurrency } = corpusSize();
const cases = badInputCases(join(__dirname, '..'), INPUTS, { service: 'web' }, perInput);
let rigs: Rig[] = [];
beforeAll(async () => {
  rigs = await Promise.all(Array.from({ length: concurrency }, () => startRig()));
  for (const rig of rigs) rig.createService('web');
});
afterAll(() => Promise.all(rigs.map((rig) => rig.close())));

test(`${cases.length} malformed inputs are refused, naming the input, before any AWS change`, async () => {
  const report = await runBadInputCorpus(
    cases,
    rigs.map((rig) => simSlot(rig.sim, (inputs) => rig.run(inputs))),
  );
  expect(report.failures).toEqual([]);
  expect(report).toMatchObject({ mutatingRequests: 0, stackTraces: 0 });
}, 600_000);
