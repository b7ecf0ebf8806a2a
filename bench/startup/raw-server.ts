// The raw ceiling: a bare node:http server answering a fixed body, nothing else. It runs in its own
// process, like Careline does, so both share the machine with the load generator the same way.
import { createServer } from 'node:http';

const body = Buffer.from(process.env.RAW_BODY ?? '{"status":"ok"}');
const contentType = process.env.RAW_CONTENT_TYPE ?? 'application/json';

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
  res.end(body);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`raw server listening on http://127.0.0.1:${port}/\n`);
});

process.once('SIGTERM', () => server.close(() => process.exit(0)));
