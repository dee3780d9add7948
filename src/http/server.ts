import { createServer, IncomingMessage, RequestListener, Server, ServerResponse, STATUS_CODES } from 'node:http';
import { Duplex } from 'node:stream';

export interface HttpServerOptions {
  /** The whole request (headers and body) must arrive within this (default 30 s); else 408 and the connection closes. */
  requestTimeoutMs?: number;
  /** The headers must arrive within this (default 10 s), against clients that trickle them (slowloris). */
  headersTimeoutMs?: number;
  /** How often the server checks the two timeouts above (default 1 s). */
  checkIntervalMs?: number;
  /** An idle keep-alive connection is closed after this (default 5 s). */
  keepAliveTimeoutMs?: number;
  /** Request line and headers together at most this many bytes (default 16 KB); over it: 431. */
  maxHeaderBytes?: number;
}

/** A response written straight to the socket, for failures node's HTTP parser sees before the app does. */
function rawJson(status: number, code: string, message: string): string {
  const body = JSON.stringify({ error: { code, message } });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** What node's parser and timeouts report, as our JSON answers. */
function clientErrorAnswer(code: string | undefined): string {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return rawJson(431, 'headers_too_large', 'The request line and headers are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return rawJson(408, 'request_timeout', 'The request did not arrive in time');
    default:
      return rawJson(400, 'bad_request', 'The request is not well-formed HTTP');
  }
}

/**
 * The HTTP server main.ts listens with: the app, plus the settings that keep lying or slow clients
 * from holding connections (a request timeout, a headers timeout, a bounded keep-alive, a header size
 * limit), and JSON answers for what the parser refuses before the app sees a request.
 */
export function createHttpServer(app: RequestListener<typeof IncomingMessage, typeof ServerResponse>, opts: HttpServerOptions = {}): Server {
  const requestTimeout = opts.requestTimeoutMs ?? 30_000;
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(opts.headersTimeoutMs ?? 10_000, requestTimeout),
      connectionsCheckingInterval: opts.checkIntervalMs ?? 1000,
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 5000,
      maxHeaderSize: opts.maxHeaderBytes ?? 16 * 1024,
    },
    app,
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Answer only when no response of the app's has started on this connection; never write into one.
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (err.code !== 'ECONNRESET' && socket.writable && (!inFlight || !inFlight.headersSent)) {
      socket.end(clientErrorAnswer(err.code), () => socket.destroy());
    } else {
      socket.destroy();
    }
  });
  // CONNECT (a proxy tunnel) is not for us; without a listener node drops the connection without a word.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.end(rawJson(405, 'method_not_allowed', 'CONNECT is not supported'), () => socket.destroy());
  });
  return server;
}
