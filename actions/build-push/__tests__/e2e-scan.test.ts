import { ManualClock } from '@shipyard/aws-sim/clock';
import { pushImage } from '@shipyard/aws-sim/ecr-seed';
import { beforeEachRequest } from '@shipyard/testkit/sim-time';
import { REGISTRY, startE2e, type E2e } from '@shipyard/testkit/fixtures/build-push/e2e';

// The scan gate against aws-sim's scans (IN_PROGRESS → COMPLETE after the scenario's scanSeconds, findings per
// image scenario). The action polls in real time (first check after 3 s), so each scan case takes a few seconds.
// Simulated time moves a minute at each scan check and never otherwise, so what each check sees does not depend on
// how fast the machine runs the action: a 150 s scan is IN_PROGRESS at the first two checks, COMPLETE at the third.

const SIMULATED_MS_PER_CHECK = 60_000;

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e({
    clock: new ManualClock(Date.now()),
    scenarios: [
      {
        image: `${REGISTRY}/scan-clean:*`,
        scanSeconds: 150,
        findings: [{ name: 'CVE-2023-0001', severity: 'MEDIUM' }],
      },
      {
        image: `${REGISTRY}/scan-dirty:*`,
        findings: [
          { name: 'CVE-2024-0001', severity: 'HIGH' },
          { name: 'CVE-2024-0002', severity: 'LOW' },
        ],
      },
      { image: `${REGISTRY}/scan-slow:*`, scanSeconds: 100_000 },
      { image: `${REGISTRY}/scan-multi:*`, findings: [{ name: 'CVE-2024-0003', severity: 'CRITICAL' }] },
    ],
  });
  beforeEachRequest(e2e.sim, { operation: 'DescribeImageScanFindings' }, () =>
    e2e.sim.control.advance(SIMULATED_MS_PER_CHECK),
  );
});
afterAll(() => e2e.close());

async function build(repository: string, inputs: Record<string, string>) {
  e2e.reset();
  return e2e.run({ repository, context: 'app', 'create-repository': 'true', ...inputs });
}

test('a clean image passes the gate, with the counts in the summary', async () => {
  const run = await build('scan-clean', { 'scan-severity-threshold': 'HIGH' });
  expect(run.conclusion).toBe('success');
  expect(run.log).toContain('scan status: IN_PROGRESS');
  expect(run.log).toContain('scan status: COMPLETE');
  expect(run.log).toContain('Scan gate passed: no finding at or above HIGH.');
  expect(run.summary).toContain('| CRITICAL | HIGH | MEDIUM | LOW | INFORMATIONAL | UNDEFINED |');
  expect(run.summary).toContain('| 0 | 0 | 1 | 0 | 0 | 0 |');
  expect(run.summary).toContain('No finding at or above HIGH: the gate passed.');
  expect(e2e.sim.control.requests({ operation: 'DescribeImageScanFindings' })).toHaveLength(3);
});

test('findings at the threshold fail the gate, with a findings table; the outputs are still set', async () => {
  const run = await build('scan-dirty', { 'scan-severity-threshold': 'high' });
  expect(run.conclusion).toBe('failure');
  const digest = run.outputs.digest;
  expect(digest).toMatch(/^sha256:/);
  expect(run.annotations.at(-1)?.message).toBe(
    `build-push: scan gate: 1 finding(s) at or above HIGH in ${REGISTRY}/scan-dirty@${digest}: CVE-2024-0001`,
  );
  expect(run.summary).toContain('**1 finding(s) at or above HIGH** fail the gate.');
  expect(run.summary).toContain(
    '| [CVE-2024-0001](https://security-tracker.debian.org/tracker/CVE-2024-0001) | HIGH |',
  );
});

test('an ignored CVE does not count', async () => {
  pushImage(e2e.sim, { repository: 'scan-dirty', tag: 'unrelated' });
  const run = await build('scan-dirty', {
    'scan-severity-threshold': 'HIGH',
    'scan-ignore': 'CVE-2024-0001',
    force: 'true',
  });
  expect(run.conclusion).toBe('success');
  expect(run.log).toContain('Findings: LOW 1 (1 ignored).');
  expect(run.summary).toContain('1 finding(s) ignored by scan-ignore');
});

test('a scan that does not finish in time fails with the timeout', async () => {
  const run = await build('scan-slow', { 'scan-severity-threshold': 'CRITICAL', 'scan-timeout': '2s' });
  expect(run.conclusion).toBe('failure');
  expect(run.annotations.at(-1)?.message).toMatch(
    /^build-push: scan gate: timed out after 2s waiting for the image scan \(\d+ checks\)$/,
  );
  expect(run.log).toContain('The scan was still IN_PROGRESS; raise scan-timeout if scans take longer here.');
});

test('without scan-on-push nothing is ever scanned: the timeout says so', async () => {
  const run = await build('scan-never', { 'scan-on-push': 'false', 'scan-wait': 'true', 'scan-timeout': '1s' });
  expect(run.conclusion).toBe('failure');
  expect(run.log).toContain('ECR never started a scan: turn on scan-on-push');
});

test('a multi-platform image is gated on the scan of each platform manifest (ECR does not scan an index)', async () => {
  const run = await build('scan-multi', {
    platforms: 'linux/amd64,linux/arm64',
    'scan-severity-threshold': 'CRITICAL',
  });
  expect(run.conclusion).toBe('failure');
  const waits = run.log.split('\n').filter((line) => line.startsWith('Waiting for the scan of scan-multi@'));
  expect(waits).toHaveLength(2);
  expect(waits.some((line) => line.includes(run.outputs.digest))).toBe(false);
  expect(run.annotations.at(-1)?.message).toBe(
    `build-push: scan gate: 1 finding(s) at or above CRITICAL in ${REGISTRY}/scan-multi@${run.outputs.digest}: CVE-2024-0003`,
  );
});
