import { report } from '../src/scan';
import { buildSummary } from '../src/summary';

const DIGEST = `sha256:${'a'.repeat(64)}`;

test('a promotion: source, digest, deploy reference and per-tag outcome', () => {
  const markdown = buildSummary({
    imageName: 'r.example.com/web',
    mode: 'promote',
    outcome: 'promoted',
    source: 'web:staging-1',
    tags: ['production-1'],
    tagOutcomes: { 'production-1': 'already there' },
    digest: DIGEST,
  }).toMarkdown();
  expect(markdown).toContain('## build-push: r.example.com/web promoted');
  expect(markdown).toContain('| Source | `web:staging-1` |');
  expect(markdown).toContain(`| Deploy with | \`r.example.com/web@${DIGEST}\` |`);
  expect(markdown).toContain('| Tags | `production-1` (already there) |');
});

test('a failed build shows the failure and the last build lines', () => {
  const markdown = buildSummary({
    imageName: 'r.example.com/web',
    mode: 'build',
    tags: ['sha-1', 'latest'],
    failure: 'docker buildx build failed (exit code 1)',
    buildTail: ['step 1', 'ERROR: boom'],
  }).toMarkdown();
  expect(markdown).toContain('## build-push: r.example.com/web failed');
  expect(markdown).toContain('| Tags | `sha-1`<br>`latest` |');
  expect(markdown).toContain('| Failure | docker buildx build failed (exit code 1) |');
  expect(markdown).toContain('<details><summary>Last lines of the build</summary>');
  expect(markdown).toContain('ERROR: boom');
});

test('scan counts, the blocking findings and the ignored ones', () => {
  const scan = report(
    [
      {
        status: 'COMPLETE',
        findings: [
          {
            id: 'CVE-1',
            severity: 'CRITICAL',
            packageName: 'openssl',
            packageVersion: '3.0.1',
            uri: 'https://x/CVE-1',
          },
          { id: 'CVE-2', severity: 'LOW' },
          { id: 'CVE-3', severity: 'HIGH' },
        ],
      },
    ],
    ['CVE-3'],
  );
  const markdown = buildSummary({
    imageName: 'w',
    mode: 'build',
    outcome: 'built',
    tags: ['a'],
    digest: DIGEST,
    scan,
    threshold: 'HIGH',
  }).toMarkdown();
  expect(markdown).toContain('| Scan | COMPLETE: CRITICAL 1, LOW 1 |');
  expect(markdown).toContain('| 1 | 0 | 0 | 1 | 0 | 0 |');
  expect(markdown).toContain('**1 finding(s) at or above HIGH** fail the gate.');
  expect(markdown).toContain('| [CVE-1](https://x/CVE-1) | CRITICAL | openssl 3.0.1 |');
  expect(markdown).not.toContain('| CVE-2 |');
  expect(markdown).toContain('1 finding(s) ignored by scan-ignore');
});
