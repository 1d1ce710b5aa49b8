/** The generated bad-input corpus (testing/testkit/src/bad-inputs.ts) against the bundled action and aws-sim. */
import { badInputCases, corpusSize, runBadInputCorpus, simSlot, type InputTable } from '@shipyard/testkit/bad-inputs';
import {
  ACTION_DIR,
  CLUSTER,
  deployAction,
  startWorld,
  type World,
} from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';

const VERIFY = { 'verify-url': 'http://127.0.0.1:9/health' };
const INPUTS: InputTable = {
  mode: { kind: 'choice' },
  cluster: { kind: 'identifier' },
  service: { kind: 'list' },
  'task-definition': { kind: 'structured' },
  container: { kind: 'identifier' },
  images: { kind: 'map' },
  env: { kind: 'map' },
  secrets: { kind: 'map' },
  cpu: { kind: 'integer' },
  memory: { kind: 'integer' },
  command: { kind: 'json-array' },
  tags: { kind: 'map' },
  strategy: { kind: 'choice' },
  'bake-time': { kind: 'duration' },
  timeout: { kind: 'duration' },
  'verify-url': { kind: 'list' },
  'verify-test-url': { kind: 'list', with: { strategy: 'blue-green' } },
  'verify-status': { kind: 'identifier', with: VERIFY },
  'verify-body': { free: 'a substring the body must hold: any text' },
  'verify-successes': { kind: 'integer' },
  'verify-interval': { kind: 'duration' },
  'verify-timeout': { kind: 'duration' },
  'add-test-pause-hook': { kind: 'boolean' },
  'auto-rollback': { kind: 'boolean' },
  'rollback-on-cancel': { kind: 'boolean' },
  'show-env-values': { kind: 'boolean' },
  wait: { kind: 'boolean' },
  'wait-for-in-flight': { kind: 'boolean' },
  'desired-count': { kind: 'integer' },
  'force-new-deployment': { kind: 'boolean' },
  'keep-revisions': { kind: 'integer' },
  'github-token': { free: 'a secret, passed to GitHub as it is' },
  environment: { kind: 'text' },
  'environment-url': { kind: 'identifier', with: { environment: 'production' } },
  region: { kind: 'identifier' },
};

const { perInput, concurrency } = corpusSize();
const cases = badInputCases(
  ACTION_DIR,
  INPUTS,
  { cluster: CLUSTER, service: 'web', images: 'app=example/web:v2' },
  perInput,
);
let worlds: World[] = [];
beforeAll(async () => {
  worlds = await Promise.all(Array.from({ length: concurrency }, () => startWorld([{ name: 'web' }])));
});
afterAll(() => Promise.all(worlds.map((world) => world.close())));

test(`${cases.length} malformed inputs are refused, naming the input, before any AWS change`, async () => {
  const report = await runBadInputCorpus(
    cases,
    worlds.map((world) => simSlot(world.sim, (inputs) => deployAction(world, inputs))),
  );
  expect(report.failures).toEqual([]);
  expect(report).toMatchObject({ mutatingRequests: 0, stackTraces: 0 });
}, 600_000);
