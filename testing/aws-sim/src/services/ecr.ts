import { randomBytes } from 'node:crypto';
import { seedImage, type SeedImageOptions } from '../ecr-seed';
import { jsonService, type JsonHandler } from '../protocols/json';
import type { ServiceModule } from '../service';
import type { World } from '../world';
import { imageHandlers } from './ecr-images';
import { registryHost } from './ecr-model';
import { createRepository, repositoryHandlers, type CreateRepositoryInput } from './ecr-repositories';
import { scanHandlers } from './ecr-scan';

const TOKEN_LIFETIME_MS = 12 * 3600_000;

const handlers: Record<string, JsonHandler> = {
  ...repositoryHandlers,
  GetAuthorizationToken: (_input, { world, region }) => ({
    authorizationData: [
      {
        authorizationToken: Buffer.from(`AWS:${randomBytes(24).toString('base64url')}`).toString('base64'),
        expiresAt: new Date(world.now() + TOKEN_LIFETIME_MS),
        proxyEndpoint: `https://${registryHost(world.accountId, region)}`,
      },
    ],
  }),
  ...imageHandlers,
  ...scanHandlers,
};

interface EcrSeed {
  /** CreateRepository inputs; `name` may stand for `repositoryName`. */
  repositories?: (CreateRepositoryInput & { name?: string; region?: string })[];
  images?: SeedImageOptions[];
}

function seed(world: World, doc: Record<string, unknown>): void {
  const section = doc.ecr as EcrSeed | undefined;
  for (const { name, region = 'us-east-1', ...input } of section?.repositories ?? []) {
    createRepository(world, region, { repositoryName: name, ...input });
  }
  for (const image of section?.images ?? []) seedImage(world, image);
}

export function ecrService(): ServiceModule {
  return jsonService({ name: 'ecr', targetPrefix: 'AmazonEC2ContainerRegistry_V20150921', handlers, seed });
}
