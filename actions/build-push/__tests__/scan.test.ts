import type { DescribeImageScanFindingsResponse } from '@aws-sdk/client-ecr';
import { DeploymentFailure } from '@shipyard/platform/errors';
import { fakeClock } from '@shipyard/platform/poll';
import { blockingFindings, formatCounts, parseSeverity, report, waitForScan, type Finding } from '../src/scan';
import { awsError } from './fixtures/fake-ecr';

type Step = DescribeImageScanFindingsResponse | Error;

function scripted(steps: Step[]) {
  const calls: (string | undefined)[] = [];
  const describe = jest.fn(async (nextToken?: string) => {
    calls.push(nextToken);
    const step = steps.length > 1 ? steps.shift()! : steps[0];
    if (step instanceof Error) throw step;
    return step;
  });
  return { describe, calls };
}

const status = (s: string, description?: string): DescribeImageScanFindingsResponse => ({
  imageScanStatus: { status: s as never, description },
});
const complete = (
  findings: { name: string; severity: string }[],
  nextToken?: string,
): DescribeImageScanFindingsResponse => ({
  imageScanStatus: { status: 'COMPLETE' },
  imageScanFindings: {
    findings: findings.map((f) => ({
      name: f.name,
      severity: f.severity as never,
      uri: `https://tracker/${f.name}`,
      attributes: [
        { key: 'package_name', value: 'openssl' },
        { key: 'package_version', value: '3.0.1' },
      ],
    })),
  },
  nextToken,
});

describe('waitForScan', () => {
  test('waits through no scan yet, PENDING and IN_PROGRESS, then reads every page', async () => {
    const { describe, calls } = scripted([
      awsError('ScanNotFoundException'),
      status('PENDING'),
      status('IN_PROGRESS'),
      complete([{ name: 'CVE-1', severity: 'HIGH' }], 'page2'),
      complete([{ name: 'CVE-2', severity: 'LOW' }]),
    ]);
    const seen: string[] = [];
    const clock = fakeClock();
    const result = await waitForScan(describe, { timeoutMs: 600_000, clock, onStatus: (s) => seen.push(s) });
    expect(seen).toEqual(['SCAN_NOT_FOUND', 'PENDING', 'IN_PROGRESS', 'COMPLETE']);
    expect(calls).toEqual([undefined, undefined, undefined, undefined, 'page2']);
    expect(result.status).toBe('COMPLETE');
    expect(result.findings.map((f) => f.id)).toEqual(['CVE-1', 'CVE-2']);
    expect(result.findings[0]).toEqual({
      id: 'CVE-1',
      severity: 'HIGH',
      packageName: 'openssl',
      packageVersion: '3.0.1',
      uri: 'https://tracker/CVE-1',
    });
    expect(clock.sleeps.length).toBe(3);
  });

  test('ACTIVE (enhanced scanning) is ready, with Inspector findings', async () => {
    const { describe } = scripted([
      {
        imageScanStatus: { status: 'ACTIVE' },
        imageScanFindings: {
          enhancedFindings: [
            {
              severity: 'CRITICAL',
              title: 'CVE-2024-3094 - xz',
              packageVulnerabilityDetails: {
                vulnerabilityId: 'CVE-2024-3094',
                sourceUrl: 'https://nvd/CVE-2024-3094',
                vulnerablePackages: [{ name: 'xz-utils', version: '5.6.0' }],
              },
            },
          ],
        },
      },
    ]);
    const result = await waitForScan(describe, { timeoutMs: 1000, clock: fakeClock() });
    expect(result).toEqual({
      status: 'ACTIVE',
      findings: [
        {
          id: 'CVE-2024-3094',
          severity: 'CRITICAL',
          packageName: 'xz-utils',
          packageVersion: '5.6.0',
          uri: 'https://nvd/CVE-2024-3094',
        },
      ],
    });
  });

  test.each([
    ['FAILED', 'the scan failed'],
    ['UNSUPPORTED_IMAGE', 'ECR cannot scan this image (unsupported operating system or media type)'],
    ['SCAN_ELIGIBILITY_EXPIRED', 'enhanced scanning stopped watching this image (scan eligibility expired)'],
    ['FINDINGS_UNAVAILABLE', 'the findings are unavailable (image deleted, or Amazon Inspector disabled)'],
    ['LIMIT_EXCEEDED', 'the scan limit was exceeded (basic scanning scans an image at most once every 24 hours)'],
    ['IMAGE_ARCHIVED', 'the image is archived, and archived images are not scanned'],
  ])('%s is a dead end: the gate fails closed', async (s, message) => {
    const { describe } = scripted([status('IN_PROGRESS'), status(s, 'details from ECR')]);
    const error = await waitForScan(describe, { timeoutMs: 60_000, clock: fakeClock() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentFailure);
    expect((error as Error).message).toBe(`scan gate: ${message} (status ${s}: details from ECR)`);
  });

  test('a timeout while no scan exists explains scan-on-push', async () => {
    const { describe } = scripted([awsError('ScanNotFoundException')]);
    const error = (await waitForScan(describe, { timeoutMs: 60_000, clock: fakeClock() }).catch(
      (e: unknown) => e,
    )) as DeploymentFailure;
    expect(error).toBeInstanceOf(DeploymentFailure);
    expect(error.message).toMatch(/^scan gate: timed out after 1m waiting for the image scan \(\d+ checks\)$/);
    expect(error.details).toContain('turn on scan-on-push');
  });

  test('a timeout while in progress says so', async () => {
    const { describe } = scripted([status('IN_PROGRESS')]);
    const error = (await waitForScan(describe, { timeoutMs: 30_000, clock: fakeClock() }).catch(
      (e: unknown) => e,
    )) as DeploymentFailure;
    expect(error.details).toBe('The scan was still IN_PROGRESS; raise scan-timeout if scans take longer here.');
  });

  test('other errors pass through', async () => {
    const { describe } = scripted([awsError('AccessDeniedException')]);
    await expect(waitForScan(describe, { timeoutMs: 30_000, clock: fakeClock() })).rejects.toThrow(
      'AccessDeniedException',
    );
  });
});

const finding = (id: string, severity: string, packageName = 'pkg'): Finding => ({ id, severity, packageName });

describe('report', () => {
  test('merges platforms, drops ignored ids (any case), counts the rest', () => {
    const result = report(
      [
        {
          status: 'COMPLETE',
          findings: [finding('CVE-1', 'CRITICAL'), finding('CVE-2', 'HIGH'), finding('CVE-3', 'LOW')],
        },
        { status: 'COMPLETE', findings: [finding('CVE-1', 'CRITICAL'), finding('CVE-4', 'MEDIUM')] },
      ],
      ['cve-2'],
    );
    expect(result.status).toBe('COMPLETE');
    expect(result.findings.map((f) => f.id)).toEqual(['CVE-1', 'CVE-3', 'CVE-4']);
    expect(result.ignored.map((f) => f.id)).toEqual(['CVE-2']);
    expect(result.counts).toEqual({ CRITICAL: 1, LOW: 1, MEDIUM: 1 });
    expect(formatCounts(result.counts)).toBe('CRITICAL 1, MEDIUM 1, LOW 1');
  });
});

describe('blockingFindings', () => {
  const scan = report(
    [
      {
        status: 'COMPLETE',
        findings: [finding('B', 'LOW'), finding('A', 'HIGH'), finding('C', 'CRITICAL'), finding('D', 'UNTRIAGED')],
      },
    ],
    [],
  );
  test.each([
    ['CRITICAL', ['C']],
    ['HIGH', ['C', 'A']],
    ['LOW', ['C', 'A', 'B']],
    ['UNDEFINED', ['C', 'A', 'B', 'D']],
  ] as const)('threshold %s blocks %j', (threshold, ids) => {
    expect(blockingFindings(scan, threshold).map((f) => f.id)).toEqual(ids);
  });
});

describe('parseSeverity', () => {
  test.each(['high', ' HIGH ', 'High'])('%j → HIGH', (raw) => expect(parseSeverity('t', raw)).toBe('HIGH'));
  test('unknown', () => expect(() => parseSeverity('t', 'SEVERE')).toThrow('Input "t" must be one of CRITICAL'));
});

test('formatCounts of nothing', () => expect(formatCounts({})).toBe('none'));
