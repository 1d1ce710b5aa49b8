import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeImageScanFindingsCommand,
  ECRClient,
  LimitExceededException,
  ScanNotFoundException,
  StartImageScanCommand,
  UnsupportedImageTypeException,
  waitUntilImageScanComplete,
} from '@aws-sdk/client-ecr';
import { ManualClock } from '../src/clock';
import { pushImage } from '../src/ecr-seed';
import { expectModelConformance } from '../src/conformance';
import { startSim, type Sim } from '../src/server';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

let sim: Sim;
let ecr: ECRClient;

beforeEach(async () => {
  sim = await startSim({ clock: new ManualClock() });
  ecr = new ECRClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  });
});
afterEach(async () => {
  ecr.destroy();
  await sim.close();
  expectModelConformance(sim.control.requests());
});

describe('scans', () => {
  beforeEach(() => {
    sim.control.addScenarios({
      image: `${REGISTRY}/web:vulnerable`,
      scanSeconds: 30,
      findings: [
        { name: 'CVE-2024-0001', severity: 'HIGH' },
        { name: 'CVE-2024-0002', severity: 'CRITICAL' },
        { name: 'CVE-2024-0003', severity: 'HIGH' },
      ],
    });
  });

  test('no scan before StartImageScan; IN_PROGRESS, then COMPLETE with the scenario findings', async () => {
    pushImage(sim, { repository: 'web', tag: 'vulnerable' });
    const id = { repositoryName: 'web', imageId: { imageTag: 'vulnerable' } };
    await expect(ecr.send(new DescribeImageScanFindingsCommand(id))).rejects.toBeInstanceOf(ScanNotFoundException);
    const started = await ecr.send(new StartImageScanCommand(id));
    expect(started.imageScanStatus!.status).toBe('IN_PROGRESS');
    sim.control.advance(29_000);
    expect((await ecr.send(new DescribeImageScanFindingsCommand(id))).imageScanStatus!.status).toBe('IN_PROGRESS');
    sim.control.advance(1_000);
    const done = await ecr.send(new DescribeImageScanFindingsCommand(id));
    expect(done.imageScanStatus).toEqual({ status: 'COMPLETE', description: 'The scan was completed successfully.' });
    expect(done.imageScanFindings!.findingSeverityCounts).toEqual({ HIGH: 2, CRITICAL: 1 });
    expect(done.imageScanFindings!.findings!.map((f) => f.name)).toEqual([
      'CVE-2024-0002',
      'CVE-2024-0001',
      'CVE-2024-0003',
    ]);
    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: 'web' }));
    expect(imageDetails![0].imageScanFindingsSummary!.findingSeverityCounts).toEqual({ HIGH: 2, CRITICAL: 1 });
    expect(sim.control.milestones('ecr-scan')).toEqual([
      expect.objectContaining({
        state: 'COMPLETE',
        simTime: Date.UTC(2026, 0, 1) + 30_000,
        id: `web@${started.imageId!.imageDigest}`,
      }),
    ]);
  });

  test('scanOnPush scans at push; waitUntilImageScanComplete resolves once the scan completes', async () => {
    await ecr.send(
      new CreateRepositoryCommand({ repositoryName: 'web', imageScanningConfiguration: { scanOnPush: true } }),
    );
    pushImage(sim, { repository: 'web', tag: 'vulnerable' });
    const id = { repositoryName: 'web', imageId: { imageTag: 'vulnerable' } };
    expect((await ecr.send(new DescribeImageScanFindingsCommand(id))).imageScanStatus!.status).toBe('IN_PROGRESS');
    const waiting = waitUntilImageScanComplete({ client: ecr, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, id);
    sim.control.advance(30_000);
    const result = await waiting;
    expect(result.state).toBe('SUCCESS');
    expect((await ecr.send(new DescribeImageScanFindingsCommand(id))).imageScanFindings!.findingSeverityCounts).toEqual(
      { HIGH: 2, CRITICAL: 1 },
    );
  });

  test('an image without a scenario scans clean after the default 20 s', async () => {
    await ecr.send(
      new CreateRepositoryCommand({ repositoryName: 'api', imageScanningConfiguration: { scanOnPush: true } }),
    );
    pushImage(sim, { repository: 'api', tag: 'v1' });
    sim.control.advance(20_000);
    const out = await ecr.send(
      new DescribeImageScanFindingsCommand({ repositoryName: 'api', imageId: { imageTag: 'v1' } }),
    );
    expect(out.imageScanStatus!.status).toBe('COMPLETE');
    expect(out.imageScanFindings!.findings).toEqual([]);
  });
});

test('one basic scan per image per day; an index cannot be scanned', async () => {
  pushImage(sim, { repository: 'web', tag: 'v1' });
  pushImage(sim, { repository: 'web', tag: 'multi', platforms: ['linux/amd64', 'linux/arm64'] });
  const v1 = { repositoryName: 'web', imageId: { imageTag: 'v1' } };
  await ecr.send(new StartImageScanCommand(v1));
  sim.control.advance(3_600_000);
  await expect(ecr.send(new StartImageScanCommand(v1))).rejects.toBeInstanceOf(LimitExceededException);
  sim.control.advance(23 * 3_600_000);
  expect((await ecr.send(new StartImageScanCommand(v1))).imageScanStatus!.status).toBe('IN_PROGRESS');
  await expect(
    ecr.send(new StartImageScanCommand({ repositoryName: 'web', imageId: { imageTag: 'multi' } })),
  ).rejects.toBeInstanceOf(UnsupportedImageTypeException);
});

test('findings of a multi-platform image follow the tag of its index', async () => {
  sim.control.addScenarios({ image: `${REGISTRY}/web:multi`, findings: [{ name: 'CVE-2025-1', severity: 'LOW' }] });
  await ecr.send(
    new CreateRepositoryCommand({ repositoryName: 'web', imageScanningConfiguration: { scanOnPush: true } }),
  );
  pushImage(sim, { repository: 'web', tag: 'multi', platforms: ['linux/amd64', 'linux/arm64'] });
  sim.control.advance(20_000);
  const { imageDetails } = await ecr.send(
    new DescribeImagesCommand({ repositoryName: 'web', filter: { tagStatus: 'UNTAGGED' } }),
  );
  expect(imageDetails!.map((d) => d.imageScanFindingsSummary!.findingSeverityCounts)).toEqual([{ LOW: 1 }, { LOW: 1 }]);
});
