import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageScenario } from '@shipyard/aws-sim/scenarios';
import type { HostRoute } from '@shipyard/scenarios/world';

// The demo's AWS account before the first release: the `hello` app running release 0 in staging and production
// (Fargate, native blue/green behind a load balancer with a test listener), its ECR repository, and a CloudFront
// distribution in front of each.

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const REGISTRY = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
export const ENVIRONMENTS = ['staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const SERVICE = 'hello';
export const clusterOf = (environment: Environment) => `hello-${environment}`;
export const RELEASE_0_TAG = 'release-0';
export const APP_DIR = join(__dirname, 'app');

const PUBLIC_HOST: Record<Environment, string> = {
  staging: 'staging.hello.example.com',
  production: 'hello.example.com',
};
const DISTRIBUTION: Record<Environment, string> = { staging: 'E1HELLOSTAGING', production: 'E1HELLOPRODUCT' };
export const distributionOf = (environment: Environment) => DISTRIBUTION[environment];

/** The public URLs the caller workflows name, routed to the sim's listeners (`:8443` is the test listener). */
export const ROUTES: Record<string, HostRoute> = Object.fromEntries(
  ENVIRONMENTS.flatMap((environment) => [
    [PUBLIC_HOST[environment], { cluster: clusterOf(environment), service: SERVICE }],
    [`${PUBLIC_HOST[environment]}:8443`, { cluster: clusterOf(environment), service: SERVICE, listener: 'test' }],
  ]),
);

function taskDefinition(environment: Environment) {
  const file = JSON.parse(readFileSync(join(APP_DIR, `.aws/task-definition-${environment}.json`), 'utf8'));
  file.containerDefinitions[0].image = `${REGISTRY}/hello:${RELEASE_0_TAG}`;
  return file;
}

function loadBalancer(environment: Environment) {
  const elb = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}`;
  return {
    targetGroupArn: `${elb}:targetgroup/hello-${environment}-blue/0123456789abcdef`,
    containerName: 'hello',
    containerPort: 8080,
    advancedConfiguration: {
      alternateTargetGroupArn: `${elb}:targetgroup/hello-${environment}-green/fedcba9876543210`,
      productionListenerRule: `${elb}:listener-rule/app/hello-${environment}/1/2/3`,
      testListenerRule: `${elb}:listener-rule/app/hello-${environment}/1/2/4`,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/ecsInfrastructureRoleForLoadBalancers`,
    },
  };
}

export function seedDocument(): Record<string, unknown> {
  return {
    ecs: {
      region: REGION,
      clusters: ENVIRONMENTS.map(clusterOf),
      taskDefinitions: ENVIRONMENTS.map(taskDefinition),
      services: ENVIRONMENTS.map((environment) => ({
        cluster: clusterOf(environment),
        serviceName: SERVICE,
        taskDefinition: `hello-${environment}`,
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: [`subnet-${environment}1`, `subnet-${environment}2`],
            assignPublicIp: 'DISABLED',
          },
        },
        loadBalancers: [loadBalancer(environment)],
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 4,
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      })),
    },
    logs: { region: REGION, logGroups: ENVIRONMENTS.map((environment) => `/ecs/hello-${environment}`) },
    // A short drain keeps the demo brisk (AWS's default deregistration delay is 300 s).
    elbv2: {
      targetGroups: ENVIRONMENTS.flatMap((environment) => {
        const lb = loadBalancer(environment);
        return [lb.targetGroupArn, lb.advancedConfiguration.alternateTargetGroupArn].map((targetGroupArn) => ({
          targetGroupArn,
          deregistrationDelaySeconds: 30,
        }));
      }),
    },
    ecr: {
      repositories: [{ name: 'hello', region: REGION, imageScanningConfiguration: { scanOnPush: true } }],
      images: [{ repository: 'hello', tag: RELEASE_0_TAG, region: REGION }],
    },
    cloudfront: {
      invalidationSeconds: 30,
      distributions: ENVIRONMENTS.map((environment) => ({
        id: DISTRIBUTION[environment],
        aliases: [PUBLIC_HOST[environment]],
      })),
    },
  };
}

/** What every image does unless a release says otherwise: starts and turns healthy quickly. */
export const BASE_SCENARIOS: ImageScenario[] = [{ image: '*', startSeconds: 5, healthCheckSeconds: 5 }];

/** What the code of a release does once built: release 2 needs a REDIS_URL that production lacks, so /health answers 503. */
export function releaseBehaviour(release: number, digest: string): ImageScenario {
  const image = `*@${digest}`;
  const common = { image, startSeconds: 5, healthCheckSeconds: 5, oneOff: { exitCode: 0, afterSeconds: 8 } };
  const version = { status: 200, body: `{"app":"hello","release":"${release}"}` };
  if (release === 2) {
    return {
      ...common,
      logs: ['hello release 2 listening on :8080', 'error: REDIS_URL is not set, sessions are unavailable'],
      http: { paths: { '/': version, '/health': { status: 503, body: 'redis: REDIS_URL is not set' } } },
    };
  }
  return { ...common, logs: [`hello release ${release} listening on :8080`], http: { paths: { '/': version } } };
}
