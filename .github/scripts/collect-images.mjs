// Gathers what the build matrix of deploy.yml pushed: each leg uploads one small artifact holding its image
// reference by digest (a matrix job cannot have one output per leg). Checks that every image arrived, then writes
// the `container=image` map ecs-deploy takes, the promotion matrix for production, and a job summary table.
// Environment: IMAGES (the `images` output of workflow-inputs.mjs), IMAGES_DIR (where the artifacts were
// downloaded), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeOutputs } from './step-outputs.mjs';

const IMAGE_BY_DIGEST = /^[^\s@]+@(sha256:[a-f0-9]{64})$/;

class MissingImage extends Error {}

function collect(env) {
  const images = JSON.parse(env.IMAGES ?? '[]');
  return images.map((image) => {
    const file = join(env.IMAGES_DIR ?? '.', `${image.artifact}.txt`);
    if (!existsSync(file)) {
      throw new MissingImage(`no image reference for container "${image.container}" (artifact ${image.artifact}).`);
    }
    const ref = readFileSync(file, 'utf8').trim();
    const digest = IMAGE_BY_DIGEST.exec(ref)?.[1];
    if (!digest) {
      throw new MissingImage(
        `the build of "${image.container}" reported ${JSON.stringify(ref)}, not an image by digest.`,
      );
    }
    return { container: image.container, repository: image.repository, ref, digest };
  });
}

function summary(built) {
  const rows = built.map(({ container, ref }) => `| ${container} | \`${ref}\` |`);
  return ['### Release images', '', '| Container | Image (deployed by digest) |', '| --- | --- |', ...rows, ''].join(
    '\n',
  );
}

function main() {
  try {
    const built = collect(process.env);
    writeOutputs({
      images: built.map(({ container, ref }) => `${container}=${ref}`).join('\n'),
      promotions: JSON.stringify(built.map(({ container, repository, digest }) => ({ container, repository, digest }))),
    });
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary(built));
  } catch (error) {
    if (!(error instanceof MissingImage)) throw error;
    console.log(`::error title=Shipyard images::${error.message}`);
    process.exitCode = 1;
  }
}

main();
