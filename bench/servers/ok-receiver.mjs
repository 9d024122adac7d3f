// An OTLP/HTTP endpoint that takes any export and answers 200, in a process of its own: what receiving costs is
// not the exporter's. Prints its port.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
server.listen(0, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
