import { leakedSecrets, SECRET_CORPUS } from '@shipyard/testkit/secret-corpus';
import { flagValues, startE2e, type E2e } from '@shipyard/testkit/fixtures/build-push/e2e';

// The secret corpus pushed through the fields build-push prints: build args (on the echoed docker command line)
// and build secrets (the docker shim prints them as a Dockerfile step that echoes its secret would). No secret may
// reach the log, an annotation, the job summary or an output.

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e.close());
beforeEach(() => e2e.reset());

const corpusLines = SECRET_CORPUS.map(({ name, value }) => `${name}=${value}`).join('\n');
// force: each test builds, though the first one pushed the image for this commit already.
const inputs = { repository: 'rideshare-api', context: 'app', 'create-repository': 'true', force: 'true' };

describe('the secret corpus is never printed', () => {
  test('build args reach docker as they are; the printed command line shows fingerprints', async () => {
    const run = await e2e.run({ ...inputs, 'build-args': corpusLines });
    expect(run.conclusion).toBe('success');
    const build = e2e.dockerCalls().find((call) => call.argv[1] === 'build')!;
    expect(flagValues(build.argv, '--build-arg')).toEqual(SECRET_CORPUS.map((s) => `${s.name}=${s.value}`));
    expect(leakedSecrets(run)).toEqual([]);
    expect(run.rawLog).toMatch(/\[command\]docker buildx build .*--build-arg GH_PAT=\(hidden #[0-9a-f]{8}\)/);
  });

  test('build secrets a build step prints are redacted', async () => {
    const run = await e2e.run({ ...inputs, secrets: corpusLines });
    expect(run.conclusion).toBe('success');
    expect(run.rawLog).toContain('#7 0.2 token is [redacted]');
    expect(leakedSecrets(run)).toEqual([]);
  });
});
