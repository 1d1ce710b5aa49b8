/** The generated bad-input corpus (testing/testkit/src/bad-inputs.ts) against the bundled action and aws-sim. */
import { join } from 'node:path';
import type { Sim } from '@shipyard/aws-sim/server';
import { badInputCases, corpusSize, runBadInputCorpus, simSlot, type InputTable } from '@shipyard/testkit/bad-inputs';
import { image, migrate, startFspSim } from '@shipyard/testkit/fixtures/migrate/fsp-sim';

const RUNNER = {
  mode: 'runner',
  command: '["node","-e","0"]',
  cluster: '',
  'task-definition': '',
  container: '',
  'copy-from-service': '',
};
const SQL = { ...RUNNER, command: '' };
// Checked before the folder is read, so any folder will do.
const SQL_FOLDER = { ...SQL, 'sql-directory': '.' };
const SNAPSHOT = { 'snapshot-db-instance': 'fsp-staging-db' };
const INPUTS: InputTable = {
  mode: { kind: 'choice' },
  region: { kind: 'identifier' },
  command: { kind: 'json-array' },
  'environment-variables': { kind: 'map' },
  timeout: { kind: 'duration' },
  'log-lines': { kind: 'integer' },
  cluster: { kind: 'identifier' },
  'task-definition': { kind: 'identifier' },
  container: { kind: 'identifier' },
  subnets: { kind: 'list' },
  'security-groups': { kind: 'list', with: { subnets: 'subnet-0123abcd' } },
  'assign-public-ip': { kind: 'boolean', with: { subnets: 'subnet-0123abcd' } },
  'launch-type': { kind: 'choice' },
  'capacity-provider-strategy': { kind: 'list' },
  'copy-from-service': { kind: 'identifier' },
  'started-by': { kind: 'identifier' },
  'concurrency-policy': { kind: 'choice' },
  shell: { kind: 'choice', with: RUNNER },
  'working-directory': { kind: 'path', with: RUNNER },
  'sql-directory': { kind: 'path', with: SQL },
  'sql-ledger-table': { kind: 'identifier', with: SQL_FOLDER },
  'sql-baseline': { kind: 'identifier', with: SQL_FOLDER },
  'snapshot-db-instance': { kind: 'identifier' },
  'snapshot-db-cluster': { kind: 'identifier' },
  'snapshot-id': { kind: 'identifier', with: SNAPSHOT },
  'snapshot-timeout': { kind: 'duration', with: SNAPSHOT },
};

const { perInput, concurrency } = corpusSize();
const cases = badInputCases(join(__dirname, '..'), INPUTS, {}, perInput);
let sims: Sim[] = [];
beforeAll(async () => {
  const scenarios = [{ image: image('ok'), oneOff: { exitCode: 0, afterSeconds: 5 } }];
  sims = await Promise.all(Array.from({ length: concurrency }, () => startFspSim({ tag: 'ok', scenarios })));
});
afterAll(() => Promise.all(sims.map((sim) => sim.close())));

test(`${cases.length} malformed inputs are refused, naming the input, before any AWS change`, async () => {
  const report = await runBadInputCorpus(
    cases,
    sims.map((sim) => simSlot(sim, (inputs) => migrate(sim, inputs))),
  );
  expect(report.failures).toEqual([]);
  expect(report).toMatchObject({ mutatingRequests: 0, stackTraces: 0 });
}, 600_000);
