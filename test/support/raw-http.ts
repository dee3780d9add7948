import { connect } from 'node:net';
import { AddressInfo } from 'node:net';
import { request as httpRequestRaw, Server } from 'node:http';

export interface RawAnswer {
  /** The status of the first response on the connection, or undefined when none came before it closed. */
  status?: number;
  headers: Record<string, string>;
  /** The first response's body, parsed when it is JSON. */
  body?: unknown;
  /** Whether the server closed the connection (it always has when this resolves). */
  closed: true;
  raw: string;
}

export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function parse(raw: string): Omit<RawAnswer, 'closed' | 'raw'> {
  const end = raw.indexOf('\r\n\r\n');
  if (!raw.startsWith('HTTP/1.1 ') || end < 0) return { headers: {} };
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  let text = raw.slice(end + 4);
  if (headers['content-length'] !== undefined) text = text.slice(0, Number(headers['content-length']));
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body };
}

/**
 * Writes `parts` to a fresh connection exactly as given (lies included) and resolves once the server
 * has closed it, with the first response that came back, if any. The client never closes first.
 */
export function sendRaw(port: number, parts: Array<string | Buffer>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // The server may reset a connection it refuses while we still write; what it answered still counts.
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      resolve({ ...parse(raw), closed: true, raw });
    });
    socket.on('connect', () => {
      for (const p of parts) socket.write(p);
    });
  });
}

/** One request through node's own client, body bytes exactly as given (supertest re-encodes Buffers). */
export function httpRequest(
  port: number,
  opts: { method: string; path: string; headers?: Record<string, string | number>; body?: Buffer | string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequestRaw({ host: '127.0.0.1', port, method: opts.method, path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
