import { SummaryBuilder } from '@shipyard/platform/summary';
import { blockingFindings, formatCounts, SEVERITIES, type Finding, type ScanReport, type Severity } from './scan';

/** What happened, filled in as the run goes so a failed run still gets a summary of what it did. */
export interface RunRecord {
  imageName: string;
  mode: 'build' | 'promote';
  outcome?: 'built' | 'skipped' | 'promoted' | 'built, not pushed';
  source?: string;
  tags: string[];
  /** Per tag, for promotions and re-tagged skips. */
  tagOutcomes?: Record<string, string>;
  digest?: string;
  scan?: ScanReport;
  threshold?: Severity;
  failure?: string;
  /** The build's last output lines when it failed. */
  buildTail?: string[];
}

const MAX_FINDING_ROWS = 50;

export function buildSummary(record: RunRecord): SummaryBuilder {
  const summary = new SummaryBuilder();
  const verdict = record.failure ? 'failed' : (record.outcome ?? 'not finished');
  summary.heading(`build-push: ${record.imageName} ${verdict}`);
  const rows: string[][] = [['Mode', record.mode]];
  if (record.source) rows.push(['Source', `\`${record.source}\``]);
  if (record.outcome) rows.push(['Outcome', record.outcome]);
  if (record.digest) rows.push(['Digest', `\`${record.digest}\``]);
  if (record.digest) rows.push(['Deploy with', `\`${record.imageName}@${record.digest}\``]);
  if (record.tags.length)
    rows.push(['Tags', record.tags.map((tag) => `\`${tag}\`${outcomeNote(record, tag)}`).join('<br>')]);
  if (record.scan) rows.push(['Scan', `${record.scan.status}: ${formatCounts(record.scan.counts)}`]);
  if (record.failure) rows.push(['Failure', record.failure]);
  summary.table(['', ''], rows);
  if (record.buildTail?.length)
    summary.details('Last lines of the build', `\`\`\`\n${record.buildTail.join('\n')}\n\`\`\``);
  if (record.scan) addScan(summary, record.scan, record.threshold);
  return summary;
}

function outcomeNote(record: RunRecord, tag: string): string {
  const outcome = record.tagOutcomes?.[tag];
  return outcome ? ` (${outcome})` : '';
}

function addScan(summary: SummaryBuilder, scan: ScanReport, threshold: Severity | undefined): void {
  summary.heading('Image scan', 3);
  summary.table(
    SEVERITIES.map((s) => s),
    [SEVERITIES.map((severity) => scan.counts[severity] ?? 0)],
  );
  const shown = threshold ? blockingFindings(scan, threshold) : scan.findings;
  if (threshold) {
    summary.raw(
      shown.length
        ? `**${shown.length} finding(s) at or above ${threshold}** fail the gate.`
        : `No finding at or above ${threshold}: the gate passed.`,
    );
  }
  if (shown.length) summary.table(['Finding', 'Severity', 'Package'], findingRows(shown));
  if (shown.length > MAX_FINDING_ROWS) summary.raw(`… and ${shown.length - MAX_FINDING_ROWS} more.`);
  if (scan.ignored.length) {
    summary.details(`${scan.ignored.length} finding(s) ignored by scan-ignore`, findingList(scan.ignored));
  }
}

export function findingRows(findings: Finding[]): string[][] {
  return findings
    .slice(0, MAX_FINDING_ROWS)
    .map((f) => [
      f.uri ? `[${f.id}](${f.uri})` : f.id,
      f.severity,
      [f.packageName, f.packageVersion].filter(Boolean).join(' ') || '—',
    ]);
}

function findingList(findings: Finding[]): string {
  return findings.map((f) => `- ${f.id} (${f.severity})`).join('\n');
}
