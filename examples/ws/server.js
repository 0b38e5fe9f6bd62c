// node:http and WebSockets: auth.authenticate(req) on the IncomingMessage is the whole API.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { djangoAuthFromEnv } from 'django-session-bridge';

const auth = djangoAuthFromEnv();

const server = createServer((req, res) => {
  auth.authenticate(req).then(
    ({ loggedIn, user }) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('vary', 'Cookie');
      res.end(JSON.stringify({ loggedIn, username: user?.username ?? null }));
    },
    (error) => {
      res.statusCode = error.statusCode ?? 500;
      res.end();
    },
  );
});

// An anonymous socket is refused before the upgrade; a logged-in one is greeted by name.
const sockets = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  auth.authenticate(req).then(
    ({ user }) => {
      if (user === null) return socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      sockets.handleUpgrade(req, socket, head, (ws) => ws.send(`Hello, ${user.firstName || user.username}`));
    },
    () => socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
  );
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
