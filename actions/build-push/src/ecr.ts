import type {
  BatchGetImageRequest,
  BatchGetImageResponse,
  CreateRepositoryRequest,
  CreateRepositoryResponse,
  DescribeImageScanFindingsRequest,
  DescribeImageScanFindingsResponse,
  DescribeImagesRequest,
  DescribeImagesResponse,
  DescribeRepositoriesRequest,
  DescribeRepositoriesResponse,
  GetAuthorizationTokenRequest,
  GetAuthorizationTokenResponse,
  PutImageRequest,
  PutImageResponse,
  PutLifecyclePolicyRequest,
  PutLifecyclePolicyResponse,
} from '@aws-sdk/client-ecr';
import { createClient } from '@shipyard/platform/aws';
import { ACTION } from './constants';

/** The ECR calls this action makes, one method each, so phases can be tested with a fake. */
export interface EcrApi {
  getAuthorizationToken(input: GetAuthorizationTokenRequest): Promise<GetAuthorizationTokenResponse>;
  describeRepositories(input: DescribeRepositoriesRequest): Promise<DescribeRepositoriesResponse>;
  createRepository(input: CreateRepositoryRequest): Promise<CreateRepositoryResponse>;
  putLifecyclePolicy(input: PutLifecyclePolicyRequest): Promise<PutLifecyclePolicyResponse>;
  describeImages(input: DescribeImagesRequest): Promise<DescribeImagesResponse>;
  batchGetImage(input: BatchGetImageRequest): Promise<BatchGetImageResponse>;
  putImage(input: PutImageRequest): Promise<PutImageResponse>;
  describeImageScanFindings(input: DescribeImageScanFindingsRequest): Promise<DescribeImageScanFindingsResponse>;
}

/** Loads the SDK only now (inputs are valid by then: a bad input fails fast) and binds each call to one client. */
export async function createEcrApi(region: string | undefined): Promise<EcrApi> {
  const sdk = await import('@aws-sdk/client-ecr');
  const client = createClient(sdk.ECRClient, { action: ACTION, region });
  return {
    getAuthorizationToken: (input) => client.send(new sdk.GetAuthorizationTokenCommand(input)),
    describeRepositories: (input) => client.send(new sdk.DescribeRepositoriesCommand(input)),
    createRepository: (input) => client.send(new sdk.CreateRepositoryCommand(input)),
    putLifecyclePolicy: (input) => client.send(new sdk.PutLifecyclePolicyCommand(input)),
    describeImages: (input) => client.send(new sdk.DescribeImagesCommand(input)),
    batchGetImage: (input) => client.send(new sdk.BatchGetImageCommand(input)),
    putImage: (input) => client.send(new sdk.PutImageCommand(input)),
    describeImageScanFindings: (input) => client.send(new sdk.DescribeImageScanFindingsCommand(input)),
  };
}

/** True when `error` is the AWS error `code` (the SDK names errors after their code). */
export function isAwsError(error: unknown, code: string): boolean {
  return error instanceof Error && error.name === code;
}
