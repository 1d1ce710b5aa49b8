import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@shipyard/platform/core';
import { DeploymentFailure, describeError, runAction } from '@shipyard/platform/errors';
import { annotateError, group } from '@shipyard/platform/log';
import { cancellationSignal } from '@shipyard/platform/poll';
import { hiddenValue } from '@shipyard/platform/redact';
import { writeSummary } from '@shipyard/platform/summary';
import { buildArgs, readBuildDigest, secretEnv, type BuildPlan, type Cache } from './buildx';
import { ACTION, Input, Output } from './constants';
import { requireBuildx, runDocker } from './docker';
import { createEcrApi, type EcrApi } from './ecr';
import { readInputs, type BuildInputs, type Inputs } from './inputs';
import { dockerLogin, ecrCredentials } from './login';
import { checkBuildFiles } from './preflight';
import { fetchManifest, platformDigests, putTags, type EcrTarget } from './promote';
import { imageName } from './registry';
import { ensureRepository, findEcrImage, findRemoteDigest, retagRemote } from './repository';
import { blockingFindings, formatCounts, report, waitForScan } from './scan';
import { buildSummary, type RunRecord } from './summary';
import { computeTags, gitContextFromEnv, ociLabels, type GitContext } from './tags';

export function run(): Promise<void> {
  return runAction(ACTION, main);
}

/** Where the phases read and write: the registry host is only known after an ECR login. */
interface Session {
  inputs: Inputs;
  git: GitContext;
  ecr?: EcrApi;
  target: EcrTarget;
  host: string;
  name: string;
  record: RunRecord;
}

async function main(): Promise<void> {
  // Filled in as the run goes; a run that fails on its inputs still gets a summary saying why.
  const record: RunRecord = { imageName: core.getInput(Input.Repository) || 'image', mode: 'build', tags: [] };
  try {
    const inputs = readInputs();
    const git = gitContextFromEnv();
    record.mode = inputs.build ? 'build' : 'promote';
    record.tags = computeTags(inputs.tags, git);
    if (inputs.build) {
      checkBuildFiles(inputs.build);
      await requireBuildx(inputs.build.context);
    }

    const session = await group(inputs.build ? 'Log in' : 'Registry', () => login(inputs, git, record));
    if (inputs.createRepository && session.ecr) {
      const settings = inputs.createRepository;
      await group('Repository', () => ensureRepository(session.ecr!, session.target, settings));
    }
    if (inputs.build) await buildOrSkip(session, inputs.build);
    else await group('Promote', () => promote(session));
    setOutputs(session);
    if (inputs.scan && record.digest) await group('Scan gate', () => scanGate(session));
  } catch (error) {
    record.failure = describeError(error);
    throw error;
  } finally {
    await writeSummary(buildSummary(record));
  }
}

async function login(inputs: Inputs, git: GitContext, record: RunRecord): Promise<Session> {
  const { registry } = inputs;
  const target = {
    registryId: registry.kind === 'ecr' ? registry.accountId : undefined,
    repository: inputs.repository,
  };
  if (registry.kind === 'generic') {
    if (inputs.credentials) await dockerLogin({ registry: registry.host, ...inputs.credentials });
    else core.info(`No username/password given: using docker's existing login to ${registry.host}, if any.`);
    return session(inputs, git, record, target, registry.host);
  }
  const ecr = await createEcrApi(inputs.region || undefined);
  if (!inputs.build) {
    // Promotion re-tags through the ECR API alone (BatchGetImage, PutImage): no docker login, so no Docker needed.
    // The token is only asked for the registry host, when the input leaves it out.
    const host = registry.host ?? (await ecrCredentials(ecr, registry.accountId, []))[0].registry;
    core.info(`Promoting within ${host} through the ECR API: no docker login needed.`);
    return { ...session(inputs, git, record, target, host), ecr };
  }
  const credentials = await ecrCredentials(ecr, registry.accountId, inputs.registryIds);
  // The token is per account, the endpoint ECR names may differ from the host given (a FIPS endpoint): docker must
  // be logged in to the host the tags name.
  if (registry.host) credentials[0] = { ...credentials[0], registry: registry.host };
  for (const entry of credentials) await dockerLogin(entry);
  return { ...session(inputs, git, record, target, registry.host ?? credentials[0].registry), ecr };
}

function session(inputs: Inputs, git: GitContext, record: RunRecord, target: EcrTarget, host: string): Session {
  const name = imageName(host, inputs.repository);
  record.imageName = name;
  core.setOutput(Output.Registry, host);
  return { inputs, git, target, host, name, record };
}

async function buildOrSkip(s: Session, build: BuildInputs): Promise<void> {
  const { record } = s;
  const [first, ...rest] = record.tags;
  if (build.push && !s.inputs.force) {
    const existing = await group('Look for an existing image', () => findExisting(s, first));
    if (existing) {
      core.info(`${s.name}:${first} already exists (${existing}): not building. Set force: true to rebuild.`);
      record.outcome = 'skipped';
      record.digest = existing;
      await group('Tag the existing image', () => addTags(s, existing, rest));
      return;
    }
  }
  await group('Build', () => runBuild(s, build));
}

async function findExisting(s: Session, tag: string): Promise<string | undefined> {
  if (s.ecr) return findEcrImage(s.ecr, s.target, tag);
  return findRemoteDigest(runDocker, `${s.name}:${tag}`);
}

/** A skipped build still gets every tag this run asked for (e.g. the semver tags of a release of a built commit). */
async function addTags(s: Session, digest: string, tags: string[]): Promise<void> {
  if (tags.length === 0) return;
  if (s.ecr) {
    const manifest = await fetchManifest(s.ecr, s.target.registryId, { repository: s.target.repository, digest });
    s.record.tagOutcomes = await putTags(s.ecr, s.target, manifest, tags);
  } else {
    await retagRemote(
      runDocker,
      `${s.name}@${digest}`,
      tags.map((tag) => `${s.name}:${tag}`),
    );
  }
}

function resolveCache(s: Session, build: BuildInputs): Cache {
  if (build.cache.type !== 'registry') return build.cache;
  const { ref, mode } = build.cache;
  return { type: 'registry', mode, ref: ref.includes('/') ? ref : `${s.name}:${ref}` };
}

async function runBuild(s: Session, build: BuildInputs): Promise<void> {
  const { record, git } = s;
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'build-push-'));
  const secretIds = Object.keys(build.secrets);
  const plan: BuildPlan = {
    ...build,
    secretIds,
    cache: resolveCache(s, build),
    labels: ociLabels(
      git,
      {
        title: s.inputs.repository.split('/').pop() ?? s.inputs.repository,
        version: record.tags[0],
        created: git.commitTime,
      },
      s.inputs.labels,
    ),
    tags: record.tags.map((tag) => `${s.name}:${tag}`),
    metadataFile: join(dir, 'metadata.json'),
    iidFile: join(dir, 'iid.txt'),
  };
  const result = await runDocker(buildArgs(plan), {
    env: secretEnv(secretIds, build.secrets),
    shownArgs: buildArgs(plan, (value) => hiddenValue(value, 'build-arg')),
  });
  if (result.exitCode !== 0) {
    record.buildTail = result.tail;
    annotateError(`docker buildx build failed (exit code ${result.exitCode}). Last lines:\n${result.tail.join('\n')}`);
    throw new DeploymentFailure(
      `docker buildx build failed (exit code ${result.exitCode})`,
      lastLinesBlock(result.tail),
    );
  }
  record.outcome = build.push ? 'built' : 'built, not pushed';
  if (!build.push) return;
  const digest = readBuildDigest(readOptional(plan.metadataFile));
  if (!digest) {
    throw new DeploymentFailure(
      `docker buildx build succeeded but wrote no containerimage.digest to ${plan.metadataFile}: cannot tell what was pushed.`,
    );
  }
  record.digest = digest;
  core.info(`Pushed ${s.name}@${digest} (image id ${readOptional(plan.iidFile)?.trim() || 'not written'}).`);
}

function lastLinesBlock(tail: string[]): string {
  return [`Last ${tail.length} lines of the build:`, ...tail.map((line) => `  ${line}`)].join('\n');
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function promote(s: Session): Promise<void> {
  const source = s.inputs.promoteFrom!;
  const ecr = s.ecr!;
  s.record.source = `${source.repository}${source.digest ? `@${source.digest}` : `:${source.tag}`}`;
  const manifest = await fetchManifest(ecr, s.target.registryId, source);
  core.info(
    `Promoting ${manifest.repository}@${manifest.digest} (${manifest.mediaType}) to ${s.record.tags.join(', ')}.`,
  );
  s.record.digest = manifest.digest;
  s.record.tagOutcomes = await putTags(ecr, s.target, manifest, s.record.tags);
  s.record.outcome = 'promoted';
  for (const [tag, outcome] of Object.entries(s.record.tagOutcomes)) core.info(`  ${s.name}:${tag}: ${outcome}`);
}

function setOutputs(s: Session): void {
  const { record, name } = s;
  core.setOutput(Output.Image, `${name}:${record.tags[0]}`);
  core.setOutput(Output.Tags, record.tags.map((tag) => `${name}:${tag}`).join('\n'));
  core.setOutput(Output.Skipped, String(record.outcome === 'skipped'));
  core.setOutput(Output.Promoted, String(record.outcome === 'promoted'));
  if (record.digest) {
    core.setOutput(Output.Digest, record.digest);
    core.setOutput(Output.ImageRef, `${name}@${record.digest}`);
  }
}

/** Scans are per platform manifest (ECR does not scan an index), so a multi-platform image waits for each. */
async function scanGate(s: Session): Promise<void> {
  const scan = s.inputs.scan!;
  const ecr = s.ecr!;
  const digest = s.record.digest!;
  const manifest = await fetchManifest(ecr, s.target.registryId, { repository: s.target.repository, digest });
  const results = [];
  // One budget for all platforms: each later platform gets what the earlier ones left.
  const started = Date.now();
  for (const platformDigest of platformDigests(manifest)) {
    core.info(`Waiting for the scan of ${s.target.repository}@${platformDigest} (up to ${scan.timeoutMs / 1000} s).`);
    results.push(
      await waitForScan(
        (nextToken) =>
          ecr.describeImageScanFindings({
            registryId: s.target.registryId,
            repositoryName: s.target.repository,
            imageId: { imageDigest: platformDigest },
            nextToken,
          }),
        {
          timeoutMs: results.length === 0 ? scan.timeoutMs : Math.max(0, scan.timeoutMs - (Date.now() - started)),
          signal: cancellationSignal(),
          onStatus: (status) => core.info(`  scan status: ${status}`),
        },
      ),
    );
  }
  const scanReport = report(results, scan.ignore);
  s.record.scan = scanReport;
  s.record.threshold = scan.threshold;
  core.info(
    `Findings: ${formatCounts(scanReport.counts)}${scanReport.ignored.length ? ` (${scanReport.ignored.length} ignored)` : ''}.`,
  );
  if (!scan.threshold) return;
  const blocking = blockingFindings(scanReport, scan.threshold);
  if (blocking.length) {
    throw new DeploymentFailure(
      `scan gate: ${blocking.length} finding(s) at or above ${scan.threshold} in ${s.name}@${digest}: ` +
        blocking
          .slice(0, 5)
          .map((f) => f.id)
          .join(', ') +
        (blocking.length > 5 ? ', …' : ''),
      blocking
        .map(
          (f) => `  ${f.severity.padEnd(13)} ${f.id}  ${[f.packageName, f.packageVersion].filter(Boolean).join(' ')}`,
        )
        .join('\n'),
    );
  }
  core.info(`Scan gate passed: no finding at or above ${scan.threshold}.`);
}
