import { AwsError } from '../errors';
import type { RequestContext, ServiceModule, SimRequest, SimResponse } from '../service';
import type { World } from '../world';
import { xmlDocument, xmlErrorResponse, type XmlValue } from './xml';

/** A Query-protocol operation: the flat form parameters in, the content of `<XResult>` out. */
export type QueryHandler = (params: URLSearchParams, ctx: RequestContext) => XmlValue;

/**
 * Reads a Query-protocol list: `Name.member.1`, or with a named member `Tags.Tag.1.Key` / `Tags.Tag.1.Value`.
 * Returns the items in index order; a structure item becomes a record of its fields.
 */
export function queryList(params: URLSearchParams, name: string): (string | Record<string, string>)[] {
  const items = new Map<number, string | Record<string, string>>();
  const pattern = new RegExp(`^${name.replace(/\./g, '\\.')}\\.[A-Za-z]+\\.(\\d+)(?:\\.(.+))?$`);
  for (const [key, value] of params) {
    const match = pattern.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    if (match[2] === undefined) items.set(index, value);
    else items.set(index, { ...(items.get(index) as Record<string, string> | undefined), [match[2]]: value });
  }
  return [...items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
}

/**
 * A service speaking the AWS Query protocol (RDS): `POST /` with a form body `Action=…&Version=…`, answered with
 * `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…</ResponseMetadata></ActionResponse>`.
 */
export function queryService(options: {
  name: string;
  version: string;
  xmlns: string;
  handlers: Record<string, QueryHandler>;
  seed?: (world: World, doc: Record<string, unknown>) => void;
}): ServiceModule {
  return {
    name: options.name,
    throttlingCode: 'Throttling',
    seed: options.seed,
    decode(request: SimRequest) {
      if (request.method !== 'POST' || request.path !== '/') return undefined;
      if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
        return undefined;
      const params = new URLSearchParams(request.body.toString('utf8'));
      if (params.get('Version') !== options.version || !params.has('Action')) return undefined;
      const operation = params.get('Action')!;
      const handler = options.handlers[operation];
      return {
        operation,
        params: Object.fromEntries([...params].filter(([key]) => key !== 'Action' && key !== 'Version')),
        run(ctx: RequestContext): SimResponse {
          if (!handler)
            throw new AwsError('InvalidAction', `The action ${operation} is not valid for this web service.`);
          const requestId = crypto.randomUUID();
          const body = xmlDocument(
            `${operation}Response`,
            { [`${operation}Result`]: handler(params, ctx), ResponseMetadata: { RequestId: requestId } },
            options.xmlns,
          );
          return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
        },
      };
    },
    errorResponse: (error) => xmlErrorResponse(error, options.xmlns),
  };
}
