import { types } from 'node:util';
import { AwsError } from '../errors';
import type { RequestContext, ServiceModule, SimRequest, SimResponse } from '../service';
import type { World } from '../world';

/** A JSON-protocol operation: decoded input in, plain output object out (Dates become epoch seconds). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonHandler = (input: any, ctx: RequestContext) => unknown | Promise<unknown>;

/** JSON 1.1 timestamps are epoch seconds; handlers may return Date objects anywhere in the output. */
function dateToEpochSeconds(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // JSON.stringify has already applied Date#toJSON to `value`; the holder still has the Date itself.
  // types.isDate: a Date copied by structuredClone comes from Node's realm, not a test sandbox's.
  const raw = this[key];
  return types.isDate(raw) ? raw.getTime() / 1000 : value;
}

export function jsonResponse(output: unknown): SimResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(output ?? {}, dateToEpochSeconds),
  };
}

/**
 * A service speaking AWS JSON 1.1 (ECS, ECR, CloudWatch Logs): `POST /` with `X-Amz-Target: <prefix>.<Operation>`.
 * Errors are `{"__type": code, "message": …}` with the code also in `x-amzn-ErrorType`.
 */
export function jsonService(options: {
  name: string;
  targetPrefix: string;
  handlers: Record<string, JsonHandler>;
  seed?: (world: World, doc: Record<string, unknown>) => void;
}): ServiceModule {
  return {
    name: options.name,
    throttlingCode: 'ThrottlingException',
    seed: options.seed,
    decode(request: SimRequest) {
      const target = String(request.headers['x-amz-target'] ?? '');
      const dot = target.lastIndexOf('.');
      if (dot < 0 || target.slice(0, dot) !== options.targetPrefix) return undefined;
      const operation = target.slice(dot + 1);
      let params: unknown;
      try {
        params = request.body.length ? JSON.parse(request.body.toString('utf8')) : {};
      } catch {
        throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
      }
      const handler = options.handlers[operation];
      return {
        operation,
        params,
        async run(ctx) {
          if (!handler)
            throw new AwsError('UnknownOperationException', `The operation ${operation} is not supported by aws-sim.`);
          return jsonResponse(await handler(params, ctx));
        },
      };
    },
    errorResponse(error: AwsError) {
      return {
        status: error.status,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': error.code },
        body: JSON.stringify({ __type: error.code, message: error.message }),
      };
    },
  };
}
