// node --import tsx bench/lib/bare-server.ts <port> <responses.json>: the least a server can do to send a page,
// the ceiling the site bench compares Mediehus's cached pages against.
import fs from 'node:fs';
import http from 'node:http';

interface Stored {
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

const [port, file] = process.argv.slice(2);
const stored = JSON.parse(fs.readFileSync(file!, 'utf8')) as Stored[];
const responses = new Map(stored.map((r) => [r.path, { ...r, body: Buffer.from(r.body, 'base64') }]));

http
  .createServer((req, res) => {
    const r = responses.get(req.url ?? '');
    if (!r) return void res.writeHead(404).end();
    res.writeHead(r.status, r.headers).end(r.body);
  })
  .listen(Number(port), '127.0.0.1');
