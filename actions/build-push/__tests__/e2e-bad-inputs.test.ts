/** The generated bad-input corpus (testing/testkit/src/bad-inputs.ts) against the bundled action and aws-sim. */
import { badInputCases, corpusSize, runBadInputCorpus, type InputTable } from '@shipyard/testkit/bad-inputs';
import { ACTION_DIR, startE2e, type E2e } from '@shipyard/testkit/fixtures/build-push/e2e';

const CREATE = { 'create-repository': 'true' };
const SCAN = { 'scan-wait': 'true' };
const INPUTS: InputTable = {
  registry: { kind: 'identifier' },
  repository: { kind: 'identifier' },
  region: { kind: 'identifier' },
  'registry-ids': { kind: 'list' },
  username: { free: 'any registry user name; refused with ECR, which the other cases use' },
  password: { free: 'a secret, handed to docker on stdin' },
  'create-repository': { kind: 'boolean' },
  'scan-on-push': { kind: 'boolean', with: CREATE },
  'tag-mutability': { kind: 'choice', with: CREATE },
  'tag-mutability-exclusions': { kind: 'list', with: { ...CREATE, 'tag-mutability': 'MUTABLE_WITH_EXCLUSION' } },
  encryption: { kind: 'choice', with: CREATE },
  'kms-key': { kind: 'identifier', with: { ...CREATE, encryption: 'KMS' } },
  'lifecycle-policy': { kind: 'structured', with: CREATE },
  tags: { kind: 'list' },
  'tag-sha': { kind: 'boolean' },
  'sha-length': { kind: 'integer' },
  'tag-environment': { kind: 'identifier' },
  'tag-branch': { kind: 'boolean' },
  'tag-semver': { kind: 'boolean' },
  'tag-latest': { kind: 'boolean' },
  labels: { kind: 'map' },
  context: { kind: 'path' },
  file: { kind: 'path' },
  target: { kind: 'identifier' },
  platforms: { kind: 'list' },
  'build-args': { kind: 'map' },
  secrets: { kind: 'map' },
  'secret-files': { kind: 'path', prefix: 'npmrc=' },
  cache: { kind: 'choice' },
  'cache-ref': { kind: 'identifier', with: { cache: 'registry' } },
  'cache-mode': { kind: 'choice' },
  provenance: { kind: 'identifier' },
  sbom: { kind: 'identifier' },
  builder: { kind: 'identifier' },
  push: { kind: 'boolean' },
  'promote-from': { kind: 'identifier', with: { context: '' } },
  force: { kind: 'boolean' },
  'scan-severity-threshold': { kind: 'choice' },
  'scan-wait': { kind: 'boolean' },
  'scan-timeout': { kind: 'duration', with: SCAN },
  'scan-ignore': { kind: 'list', with: SCAN },
};

/** docker commands that change something (build, push, re-tag); logins and inspections do not. */
const CHANGING_DOCKER = /^(?:build|push|tag|buildx (?:build|imagetools create))$/;

const { perInput, concurrency } = corpusSize();
const cases = badInputCases(ACTION_DIR, INPUTS, { repository: 'rideshare-api', context: 'app' }, perInput);
let rigs: E2e[] = [];
beforeAll(async () => {
  rigs = await Promise.all(Array.from({ length: concurrency }, () => startE2e()));
});
afterAll(() => Promise.all(rigs.map((rig) => rig.close())));

test(`${cases.length} malformed inputs are refused, naming the input, before any change`, async () => {
  const report = await runBadInputCorpus(
    cases,
    rigs.map((rig) => ({
      run: (inputs) => rig.run(inputs),
      mutating: () => [
        ...rig.sim.control.mutatingRequests().map((request) => request.operation),
        ...rig
          .dockerCalls()
          .map((call) => call.argv.slice(0, 2).join(' '))
          .filter((command) => CHANGING_DOCKER.test(command) || CHANGING_DOCKER.test(command.split(' ')[0]))
          .map((command) => `docker ${command}`),
      ],
      clear: () => rig.reset(),
    })),
  );
  expect(report.failures).toEqual([]);
  expect(report).toMatchObject({ mutatingRequests: 0, stackTraces: 0 });
}, 600_000);
