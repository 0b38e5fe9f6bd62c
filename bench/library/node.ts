// node:http + auth.authenticate(req): the engine with no framework at all.
import { createServer } from 'node:http';
import { benchAuth, CONTENT_TYPE, onStop, page, port } from './page.ts';

const auth = benchAuth();
const server = createServer((req, res) => {
  auth.authenticate(req).then(
    ({ user }) => {
      const body = page(user);
      res.writeHead(200, { 'Content-Type': CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body), Vary: 'Cookie' });
      res.end(body);
    },
    (error: { statusCode?: number }) => res.writeHead(error.statusCode ?? 500).end(),
  );
});
server.listen(port(), '127.0.0.1');
onStop(() => {
  server.close();
  return auth.close();
});
