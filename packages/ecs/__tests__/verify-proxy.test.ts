import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { fakeClock } from '@shipyard/platform/poll';
import { verifyUrls } from '../src/verify';

// Verification behind a corporate proxy: a CONNECT proxy on loopback that routes every tunnel to a local app, so a
// URL with a name nobody resolves passes only through the proxy.

let app: Server;
let proxy: Server;
let appPort: number;
let proxyUrl: string;
let tunnels: string[];

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

beforeAll(async () => {
  app = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`healthy ${req.url}`));
  appPort = await listen(app);
  proxy = createServer((_, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client, head) => {
    tunnels.push(String(req.url));
    const upstream = connect(appPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  app.closeAllConnections();
  await Promise.all([close(proxy), close(app)]);
});

const savedEnv = { ...process.env };
const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];
beforeEach(() => {
  tunnels = [];
  // The machine's own proxy settings stay out of these tests.
  for (const name of PROXY_VARIABLES) delete process.env[name];
});
afterEach(() => {
  process.env = { ...savedEnv };
});

const verify = (url: string) =>
  verifyUrls({
    urls: [url],
    expectation: { status: { codes: [200], classes: [] }, body: { kind: 'contains', text: 'healthy /health' } },
    successes: 1,
    intervalMs: 1000,
    timeoutMs: 10_000,
    clock: fakeClock(),
  });

test('HTTP_PROXY carries the checks: a name only the proxy knows is verified through it', async () => {
  process.env.HTTP_PROXY = proxyUrl;
  expect(await verify('http://shop.internal.example/health')).toEqual({ passed: true, rounds: 1 });
  expect(tunnels).toEqual(['shop.internal.example:80']);
});

test('NO_PROXY exempts a host: it is reached directly, the proxy sees nothing', async () => {
  process.env.http_proxy = proxyUrl;
  // 0.0.0.0 reaches this machine without being one of the loopback names that are never proxied.
  const direct = `http://0.0.0.0:${appPort}/health`;
  expect(await verify(direct)).toEqual({ passed: true, rounds: 1 });
  expect(tunnels).toEqual([`0.0.0.0:${appPort}`]);
  tunnels = [];
  process.env.NO_PROXY = 'example.com,0.0.0.0';
  expect(await verify(direct)).toEqual({ passed: true, rounds: 1 });
  expect(tunnels).toEqual([]);
});

test('without proxy variables the check goes directly', async () => {
  expect(await verify(`http://0.0.0.0:${appPort}/health`)).toEqual({ passed: true, rounds: 1 });
  expect(tunnels).toEqual([]);
});
