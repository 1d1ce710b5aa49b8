import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from './errors';
import type { World } from './world';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** From the SigV4 credential scope of the Authorization header (the SDK signs every call), else us-east-1. */
  region: string;
  /** The signing name from the credential scope (`ecs`, `ecr`, `logs`, `cloudfront`, `rds`), if signed. */
  signingService?: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** What a handler sees besides its input. */
export interface RequestContext {
  world: World;
  region: string;
  accountId: string;
  request: SimRequest;
}

/** A decoded call, ready to run: the server logs it, applies faults, then calls `run`. */
export interface DecodedCall {
  operation: string;
  params: unknown;
  run(ctx: RequestContext): Promise<SimResponse> | SimResponse;
}

/**
 * One simulated service (or non-AWS surface such as the GitHub API or the live app endpoints). The server asks
 * each module in turn whether a request is for it.
 */
export interface ServiceModule {
  name: string;
  /** Code answered for injected throttling (`ThrottlingException` in JSON services, `Throttling` in XML ones). */
  throttlingCode: string;
  /** Whether the request is for this module; if so, how to run it. Throw AwsError for malformed calls. */
  decode(request: SimRequest): DecodedCall | undefined;
  /** Renders an error in the module's wire protocol. */
  errorResponse(error: AwsError, request: SimRequest): SimResponse;
  /** Whether calls are logged and subject to faults (false for the live app endpoints). */
  observed?: boolean;
  /** Applies this module's part of a seed document. */
  seed?(world: World, doc: Record<string, unknown>): void;
}
