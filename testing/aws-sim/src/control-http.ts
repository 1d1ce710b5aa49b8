import { AwsError } from './errors';
import type { ImageScenario } from './scenarios';
import type { SimControl } from './sim';
import type { ServiceModule, SimRequest, SimResponse } from './service';
import { liveUrls } from './services/live';
import type { FaultRule, RequestFilter } from './world';

/**
 * The control surface for a sim running in another process (the CLI), under `/_sim/`:
 *   GET    /_sim/health                      → { ok, simTime }
 *   GET    /_sim/requests?service=&operation=&mutating=&since=&until=&userAgent=   (since/until: wall-clock epoch ms)
 *   DELETE /_sim/requests
 *   GET    /_sim/milestones?kind=
 *   POST   /_sim/faults      body: FaultRule          DELETE /_sim/faults
 *   POST   /_sim/scenarios   body: ImageScenario | ImageScenario[] | { scenarios: [...] }
 *   POST   /_sim/seed        body: seed document
 *   POST   /_sim/advance?ms= (manual clock only)
 *   GET    /_sim/live/<cluster>/<service>   → { production, test } URLs
 */

const json = (status: number, value: unknown): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

function parseBody(request: SimRequest): unknown {
  try {
    return JSON.parse(request.body.toString('utf8') || 'null');
  } catch {
    throw new AwsError('BadRequest', 'The request body is not valid JSON.');
  }
}

function requestFilter(query: URLSearchParams): RequestFilter {
  const number = (key: string) => (query.has(key) ? Number(query.get(key)) : undefined);
  return {
    service: query.get('service') ?? undefined,
    operation: query.get('operation') ?? undefined,
    mutating: query.has('mutating') ? query.get('mutating') === 'true' : undefined,
    sinceRealTime: number('since'),
    untilRealTime: number('until'),
    userAgent: query.get('userAgent') ?? undefined,
  };
}

function route(control: SimControl, request: SimRequest): SimResponse {
  const path = request.path.slice('/_sim'.length);
  const live = /^\/live\/([^/]+)\/([^/]+)$/.exec(path);
  switch (`${request.method} ${live ? '/live' : path}`) {
    case 'GET /health':
      return json(200, { ok: true, simTime: control.clock.now() });
    case 'GET /requests':
      return json(200, control.requests(requestFilter(request.query)));
    case 'DELETE /requests':
      control.clearRequests();
      return { status: 204 };
    case 'GET /milestones':
      return json(200, control.milestones(request.query.get('kind') ?? undefined));
    case 'POST /faults':
      control.addFault(parseBody(request) as FaultRule);
      return { status: 204 };
    case 'DELETE /faults':
      control.clearFaults();
      return { status: 204 };
    case 'POST /scenarios': {
      const body = parseBody(request) as ImageScenario | ImageScenario[] | { scenarios: ImageScenario[] };
      const scenarios = Array.isArray(body) ? body : 'scenarios' in body ? body.scenarios : [body];
      control.addScenarios(...scenarios);
      return { status: 204 };
    }
    case 'POST /seed':
      control.seed(parseBody(request) as Record<string, unknown>);
      return { status: 204 };
    case 'POST /advance':
      control.advance(Number(request.query.get('ms') ?? 0));
      return json(200, { simTime: control.clock.now() });
    case 'GET /live': {
      const endpoint = `http://${request.headers.host}`;
      return json(200, liveUrls({ endpoint }, decodeURIComponent(live![1]), decodeURIComponent(live![2])));
    }
    default:
      return json(404, { message: `aws-sim: no control route ${request.method} ${request.path}` });
  }
}

export function controlService(control: SimControl): ServiceModule {
  return {
    name: 'control',
    throttlingCode: 'Throttling',
    observed: false,
    decode(request) {
      if (!request.path.startsWith('/_sim/')) return undefined;
      return {
        operation: `${request.method} ${request.path}`,
        params: {},
        run() {
          try {
            return route(control, request);
          } catch (error) {
            if (error instanceof AwsError) throw error;
            throw new AwsError('BadRequest', error instanceof Error ? error.message : String(error));
          }
        },
      };
    },
    errorResponse(error) {
      return json(error.status, { code: error.code, message: error.message });
    },
  };
}
