import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScaledClock, type ManualClock, type SimClock } from './clock';
import { addToSuiteReport } from './conformance-suite';
import { controlService } from './control-http';
import { AwsError } from './errors';
import type { ImageScenario } from './scenarios';
import type { ServiceModule, SimRequest, SimResponse } from './service';
import { allServices } from './services/index';
import type { Sim, SimControl } from './sim';
import { isMutating, World, type Lags } from './world';

export { liveUrls } from './services/live';
export type { Sim, SimControl } from './sim';

export interface SimOptions {
  port?: number;
  host?: string;
  /** Simulated seconds per real second (ignored when `clock` is given). Default 1. */
  timeScale?: number;
  clock?: SimClock;
  scenarios?: ImageScenario[];
  /** A seed document: `{ scenarios?, ecs?, ecr?, cloudfront?, rds?, github? }`, each section applied by its service. */
  seed?: Record<string, unknown>;
  accountId?: string;
  /** Seed of the pseudo-random numbers used by fault injection. */
  randomSeed?: number;
  /** Eventually consistent answers AWS may give (off by default). */
  lags?: Lags;
}

const CREDENTIAL_SCOPE = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: SimResponse): void {
  res.writeHead(response.status, { 'x-amzn-requestid': crypto.randomUUID(), ...response.headers });
  res.end(response.body ?? '');
}

function toSimRequest(req: IncomingMessage, body: Buffer): SimRequest {
  const url = new URL(req.url ?? '/', 'http://sim');
  const scope = CREDENTIAL_SCOPE.exec(String(req.headers.authorization ?? ''));
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    region: scope?.[1] ?? 'us-east-1',
    signingService: scope?.[2],
  };
}

export async function startSim(options: SimOptions = {}): Promise<Sim> {
  const clock = options.clock ?? new ScaledClock(options.timeScale ?? 1);
  const world = new World(clock, options.accountId, options.randomSeed);
  Object.assign(world.lags, options.lags);
  const services: ServiceModule[] = allServices();
  const applySeed = (doc: Record<string, unknown>) => {
    if (Array.isArray(doc.scenarios)) world.scenarios.add(...(doc.scenarios as ImageScenario[]));
    for (const service of services) service.seed?.(world, doc);
  };
  if (options.scenarios) world.scenarios.add(...options.scenarios);
  if (options.seed) applySeed(options.seed);

  const control: SimControl = {
    world,
    clock,
    addScenarios: (...s) => world.scenarios.add(...s),
    seed: applySeed,
    requests: (filter) => world.findRequests(filter),
    mutatingRequests: (filter) => world.findRequests({ ...filter, mutating: true }),
    clearRequests: () => addToSuiteReport(world.requests.splice(0)),
    addFault: (rule) => void world.faults.push(structuredClone(rule)),
    clearFaults: () => void world.faults.splice(0),
    onFault: (listener) => world.onFault(listener),
    milestones: (kind) => world.milestones.filter((m) => kind === undefined || m.kind === kind),
    advance(ms) {
      // Duck-typed: the CLI loads these sources through tsx, where a test's ManualClock may be another module instance.
      if (typeof (clock as Partial<ManualClock>).advance !== 'function')
        throw new Error('advance() needs a ManualClock');
      (clock as ManualClock).advance(ms);
      world.advance();
    },
  };
  // Asked first, so no service module can claim the control routes.
  services.unshift(controlService(control));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = toSimRequest(req, await readBody(req));
    world.advance();
    for (const service of services) {
      let call;
      try {
        call = service.decode(request);
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
        send(res, service.errorResponse(error, request));
        return;
      }
      if (!call) continue;
      const observed = service.observed !== false;
      const arrived = { realTime: Date.now(), simTime: world.now() };
      const fault = observed ? world.pickFault(service.name, call.operation) : { latencyMs: 0 };
      if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
      const record = (status: number, errorCode?: string, responseBody?: string) => {
        if (!observed) return;
        world.record({
          ...arrived,
          service: service.name,
          operation: call.operation,
          region: request.region,
          params: call.params,
          status,
          errorCode,
          mutating: isMutating(call.operation),
          injected: fault.effect !== undefined || undefined,
          responseBody,
          userAgent: request.headers['user-agent'],
        });
      };
      // The change is made; only its answer goes missing below.
      if (fault.afterApplying) {
        try {
          await call.run({ world, region: request.region, accountId: world.accountId, request });
        } catch (error) {
          if (!(error instanceof AwsError)) throw error;
        }
      }
      switch (fault.effect?.kind) {
        case 'hang':
          // Never answered: the client's timeout (or sim.close()) ends the connection.
          record(0);
          return;
        case 'drop-connection':
          record(0);
          req.socket.destroy();
          return;
        case 'proxy-error': {
          const { status, contentType, body } = fault.effect;
          record(status);
          send(res, { status, headers: { 'content-type': contentType }, body });
          return;
        }
      }
      let response: SimResponse;
      let errorCode: string | undefined;
      if (fault.effect?.kind === 'error') {
        errorCode = fault.effect.code === 'Throttling' ? service.throttlingCode : fault.effect.code;
        response = service.errorResponse(new AwsError(errorCode, fault.effect.message, fault.effect.status), request);
      } else {
        try {
          response = await call.run({ world, region: request.region, accountId: world.accountId, request });
        } catch (error) {
          if (!(error instanceof AwsError)) throw error;
          errorCode = error.code;
          response = service.errorResponse(error, request);
        }
      }
      record(response.status, errorCode, typeof response.body === 'string' ? response.body : undefined);
      send(res, response);
      return;
    }
    send(res, {
      status: 404,
      headers: { 'content-type': 'text/plain' },
      body: `aws-sim: no service answers ${request.method} ${request.path}`,
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, {
        status: 500,
        headers: { 'content-type': 'text/plain' },
        body: `aws-sim internal error: ${String(error)}`,
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  let reported = false;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port, address } = server.address() as AddressInfo;
  const endpoint = `http://${address}:${port}`;
  return {
    endpoint,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'AKIASIMULATED0000000',
      AWS_SECRET_ACCESS_KEY: 'aws-sim-secret-access-key',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      GITHUB_API_URL: endpoint,
    },
    control,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          // Once, however often it is closed; the log stays readable for the test.
          if (!reported) addToSuiteReport(world.requests);
          reported = true;
          resolve();
        });
      }),
  };
}
