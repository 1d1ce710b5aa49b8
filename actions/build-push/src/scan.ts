import type { DescribeImageScanFindingsResponse } from '@aws-sdk/client-ecr';
import { ConfigError, DeploymentFailure } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';
import { poll, PollTimeoutError, type Clock } from '@shipyard/platform/poll';

/** Highest first: a threshold of HIGH also counts CRITICAL. */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function parseSeverity(name: string, raw: string): Severity {
  const value = raw.trim().toUpperCase();
  const severity = SEVERITIES.find((s) => s === value);
  if (!severity) {
    throw new ConfigError(`Input "${name}" must be one of ${SEVERITIES.join(', ')}, got ${quote(raw)}.`);
  }
  return severity;
}

/** Inspector's UNTRIAGED and any future label rank with UNDEFINED: known to exist, severity unknown. */
export function severityRank(severity: string): number {
  const index = SEVERITIES.indexOf(severity as Severity);
  return index === -1 ? SEVERITIES.length - 1 : index;
}

export interface Finding {
  /** CVE / GHSA id as the scanner names it. */
  id: string;
  severity: string;
  packageName?: string;
  packageVersion?: string;
  uri?: string;
}

/** The statuses that mean findings are ready: basic scanning says COMPLETE, enhanced (Inspector) ACTIVE. */
const READY = new Set(['COMPLETE', 'ACTIVE']);
/** Statuses after which no findings will ever come: the gate fails closed, saying why. */
const DEAD_ENDS: Record<string, string> = {
  FAILED: 'the scan failed',
  UNSUPPORTED_IMAGE: 'ECR cannot scan this image (unsupported operating system or media type)',
  SCAN_ELIGIBILITY_EXPIRED: 'enhanced scanning stopped watching this image (scan eligibility expired)',
  FINDINGS_UNAVAILABLE: 'the findings are unavailable (image deleted, or Amazon Inspector disabled)',
  LIMIT_EXCEEDED: 'the scan limit was exceeded (basic scanning scans an image at most once every 24 hours)',
  IMAGE_ARCHIVED: 'the image is archived, and archived images are not scanned',
};
/** What poll sees before the first scan exists (ScanNotFoundException). */
export const NO_SCAN_YET = 'SCAN_NOT_FOUND';

export interface ScanState {
  status: string;
  description?: string;
  page?: DescribeImageScanFindingsResponse;
}

/** One DescribeImageScanFindings page; ScanNotFoundException surfaces as an error named so. */
export type DescribeFindings = (nextToken?: string) => Promise<DescribeImageScanFindingsResponse>;

export interface ScanReport {
  status: string;
  /** Findings that count, after the ignore list. */
  findings: Finding[];
  /** Findings dropped by the ignore list. */
  ignored: Finding[];
  /** Per severity, after the ignore list. */
  counts: Record<string, number>;
}

/** One image manifest's finished scan, before the ignore list. */
export interface ScanResult {
  status: string;
  findings: Finding[];
}

export interface WaitOptions {
  timeoutMs: number;
  clock?: Clock;
  signal?: AbortSignal;
  onStatus?: (status: string) => void;
}

/**
 * Waits for the image's scan with our own loop (the SDK waiter knows only COMPLETE and FAILED and times out on the
 * rest), then reads every page of findings. Dead-end statuses and a timeout are DeploymentFailures.
 */
export async function waitForScan(describe: DescribeFindings, options: WaitOptions): Promise<ScanResult> {
  let last: string | undefined;
  let state: ScanState;
  try {
    state = await poll<ScanState>({
      describe: () => describeState(describe),
      isDone: (current) => {
        if (current.status !== last) options.onStatus?.(current.status);
        last = current.status;
        const deadEnd = DEAD_ENDS[current.status];
        if (deadEnd) {
          const reason = current.description ? `: ${current.description}` : '';
          throw new DeploymentFailure(`scan gate: ${deadEnd} (status ${current.status}${reason})`);
        }
        return READY.has(current.status);
      },
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      clock: options.clock,
      minIntervalMs: 3_000,
      maxIntervalMs: 15_000,
      fingerprint: (current) => current.status,
      waitingFor: 'the image scan',
    });
  } catch (error) {
    if (error instanceof PollTimeoutError) throw scanTimeout(error as PollTimeoutError<ScanState>);
    throw error;
  }
  const findings = [...readFindings(state.page)];
  for (let token = state.page?.nextToken; token;) {
    const page = await describe(token);
    findings.push(...readFindings(page));
    token = page.nextToken;
  }
  return { status: state.status, findings };
}

async function describeState(describe: DescribeFindings): Promise<ScanState> {
  try {
    const page = await describe();
    return { status: page.imageScanStatus?.status ?? 'PENDING', description: page.imageScanStatus?.description, page };
  } catch (error) {
    if (error instanceof Error && error.name === 'ScanNotFoundException') return { status: NO_SCAN_YET };
    throw error;
  }
}

function scanTimeout(error: PollTimeoutError<ScanState>): DeploymentFailure {
  const status = error.lastState.status;
  const hint =
    status === NO_SCAN_YET
      ? 'ECR never started a scan: turn on scan-on-push for the repository (or registry scanning) so pushes are ' +
        'scanned, or raise scan-timeout.'
      : `The scan was still ${status}; raise scan-timeout if scans take longer here.`;
  return new DeploymentFailure(`scan gate: ${error.message}`, hint);
}

function readFindings(page: DescribeImageScanFindingsResponse | undefined): Finding[] {
  const basic = (page?.imageScanFindings?.findings ?? []).map((finding) => {
    const attribute = (key: string) => finding.attributes?.find((a) => a.key === key)?.value;
    return {
      id: finding.name ?? 'unnamed finding',
      severity: finding.severity ?? 'UNDEFINED',
      packageName: attribute('package_name'),
      packageVersion: attribute('package_version'),
      uri: finding.uri,
    };
  });
  const enhanced = (page?.imageScanFindings?.enhancedFindings ?? []).map((finding) => {
    const details = finding.packageVulnerabilityDetails;
    const affected = details?.vulnerablePackages?.[0];
    return {
      id: details?.vulnerabilityId ?? finding.title ?? 'unnamed finding',
      severity: finding.severity ?? 'UNDEFINED',
      packageName: affected?.name,
      packageVersion: affected?.version,
      uri: details?.sourceUrl,
    };
  });
  return [...basic, ...enhanced];
}

/**
 * Joins the scans of an image's platform manifests (a finding in two platforms counts once), splits the findings by
 * the ignore list (ids compared case-insensitively) and counts what remains per severity.
 */
export function report(results: ScanResult[], ignore: string[]): ScanReport {
  const status = [...new Set(results.map((r) => r.status))].join(', ');
  const unique = new Map<string, Finding>();
  for (const finding of results.flatMap((r) => r.findings)) {
    unique.set(`${finding.id}|${finding.packageName ?? ''}|${finding.packageVersion ?? ''}`, finding);
  }
  const all = [...unique.values()];
  const ignoredIds = new Set(ignore.map((id) => id.toUpperCase()));
  const findings = all.filter((f) => !ignoredIds.has(f.id.toUpperCase()));
  const ignored = all.filter((f) => ignoredIds.has(f.id.toUpperCase()));
  const counts: Record<string, number> = {};
  for (const finding of findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
  return { status, findings, ignored, counts };
}

/** The findings at or above the threshold, most severe first: non-empty means the gate fails. */
export function blockingFindings(scan: ScanReport, threshold: Severity): Finding[] {
  return scan.findings
    .filter((f) => severityRank(f.severity) <= severityRank(threshold))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.id.localeCompare(b.id));
}

/** `CRITICAL 1, HIGH 2` in severity order; `none` when clean. */
export function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => severityRank(a) - severityRank(b));
  return entries.length ? entries.map(([severity, count]) => `${severity} ${count}`).join(', ') : 'none';
}
