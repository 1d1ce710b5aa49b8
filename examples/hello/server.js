// A dependency-free HTTP app: `/health` for health checks, `/` reports the release it runs (RELEASE env).
const http = require('node:http');

const release = process.env.RELEASE || 'dev';
const server = http.createServer((request, response) => {
  if (request.url === '/health') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok');
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ app: 'hello', release }));
});
server.listen(Number(process.env.PORT || 8080), () => console.log(`hello ${release} listening`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
