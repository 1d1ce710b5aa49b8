import { AwsError } from '../errors';
import type { RequestContext, ServiceModule, SimRequest, SimResponse } from '../service';
import type { World } from '../world';
import { parseXml, xmlDocument, xmlErrorResponse, type XmlValue } from './xml';

/** What a REST-XML handler receives: path captures, the query string and the parsed XML body (if any). */
export interface RestXmlInput {
  path: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
  request: SimRequest;
}

/** A handler's answer: the root element and its content, plus the status and headers (Location, ETag…). */
export interface RestXmlOutput {
  status?: number;
  headers?: Record<string, string>;
  root: string;
  value: XmlValue;
}

export interface RestXmlRoute {
  operation: string;
  method: string;
  /** Matched against the request path; named groups become `input.path`. */
  path: RegExp;
  handler(input: RestXmlInput, ctx: RequestContext): RestXmlOutput;
}

/**
 * A service speaking REST-XML (CloudFront): operation chosen by method and path, XML bodies in and out, errors as
 * `<ErrorResponse>` documents.
 */
export function restXmlService(options: {
  name: string;
  /** Requests whose path starts with this belong to the service (e.g. `/2020-05-31/`). */
  pathPrefix: string;
  xmlns: string;
  routes: RestXmlRoute[];
  /** Elements that are always lists in request bodies (e.g. `Path`). */
  listMembers?: string[];
  seed?: (world: World, doc: Record<string, unknown>) => void;
}): ServiceModule {
  return {
    name: options.name,
    throttlingCode: 'Throttling',
    seed: options.seed,
    decode(request) {
      if (!request.path.startsWith(options.pathPrefix)) return undefined;
      for (const route of options.routes) {
        const match = route.method === request.method ? route.path.exec(request.path) : null;
        if (!match) continue;
        const path = Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
        const body = request.body.length ? parseXml(request.body.toString('utf8'), options.listMembers) : undefined;
        const input: RestXmlInput = { path, query: request.query, body, request };
        return {
          operation: route.operation,
          params: { ...path, ...Object.fromEntries(request.query), ...body },
          run(ctx: RequestContext): SimResponse {
            const output = route.handler(input, ctx);
            return {
              status: output.status ?? 200,
              headers: { 'content-type': 'text/xml', ...output.headers },
              body: xmlDocument(output.root, output.value, options.xmlns),
            };
          },
        };
      }
      return {
        operation: 'Unknown',
        params: { method: request.method, path: request.path },
        run() {
          throw new AwsError('InvalidAction', `aws-sim does not support ${request.method} ${request.path}`);
        },
      };
    },
    errorResponse: (error) => xmlErrorResponse(error, options.xmlns),
  };
}
