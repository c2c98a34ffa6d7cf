// GET /metrics on a listener of its own (`metrics.listen`, `metrics.port`), apart from the API:
// scraped by Prometheus from the machine or a monitoring network, never exposed with the API.

import {createServer, type Server} from 'node:http';
import type {DaemonMetrics} from '../services/metrics.js';

export function createMetricsServer(metrics: DaemonMetrics): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, {'Content-Type': 'text/plain'}).end('not found: GET /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, {Allow: 'GET, HEAD', 'Content-Type': 'text/plain'}).end();
      return;
    }
    metrics.exposition().then(
      ({contentType, text}) => res.writeHead(200, {'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text)}).end(text),
      () => res.writeHead(500, {'Content-Type': 'text/plain'}).end('metrics unavailable\n'),
    );
  });
}
