// The floor for serving one page: a bare node:http server holding the
// page's bytes in memory. Usage: node minimal-server.mjs <port> <file> <encoding>
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [, , port, file, encoding] = process.argv;
const body = readFileSync(file);
const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length };
if (encoding && encoding !== 'identity') headers['Content-Encoding'] = encoding;
http
  .createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  })
  .listen(Number(port), '127.0.0.1');
