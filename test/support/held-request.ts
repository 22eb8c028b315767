// Raw HTTP requests on a new connection each, for shutdown tests. Each connection is kept
// alive like a real client's pool would keep it, so a server that answers without
// `connection: close` during shutdown is left waiting on it. A held request sends its
// headers with `Expect: 100-continue` and waits for the server's 100 Continue before sending
// its body: Node answers 100 only after handing the request to Fastify, so once `holdRequest`
// resolves the request is provably in flight, whatever happens to the server next.
import http from 'node:http';

const RESPONSE_TIMEOUT_MS = 15_000;

export interface RawRequest {
  method: string;
  path: string;
  token?: string;
  /** Sent as x-request-id, so the request can be found in the audit log. */
  requestId?: string;
  body?: unknown;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface HeldRequest {
  /** Sends the body; resolves with the complete response, rejects if the connection fails. */
  release(): Promise<RawResponse>;
}

/** One request on its own keep-alive connection; rejects on a refused or broken connection or after 15 s. */
export function sendRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const { req, payload, response } = open(baseUrl, request, {});
  req.end(payload);
  return response;
}

/** Resolves once the server has received the headers (100 Continue); the body waits for release(). */
export function holdRequest(baseUrl: string, request: RawRequest): Promise<HeldRequest> {
  const { req, payload, response } = open(baseUrl, request, { expect: '100-continue' });
  // A held request that is never released must not surface later as an unhandled rejection.
  response.catch(() => undefined);
  const continued = new Promise<HeldRequest>((resolve) => req.once('continue', () => resolve({ release: () => (req.end(payload), response) })));
  const answeredEarly = response.then((early) => {
    throw new Error(`${request.method} ${request.path} was answered ${early.status} before its body was sent`);
  });
  req.flushHeaders();
  return Promise.race([continued, answeredEarly]);
}

function open(baseUrl: string, request: RawRequest, extraHeaders: Record<string, string>) {
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  const req = http.request(new URL(request.path, baseUrl), {
    method: request.method,
    agent: new http.Agent({ keepAlive: true }),
    headers: {
      ...(request.token && { authorization: `Bearer ${request.token}` }),
      ...(request.requestId && { 'x-request-id': request.requestId }),
      ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
      ...extraHeaders,
    },
  });
  const response = new Promise<RawResponse>((resolve, reject) => {
    req.once('error', reject);
    req.setTimeout(RESPONSE_TIMEOUT_MS, () => req.destroy(new Error(`no answer to ${request.method} ${request.path} within ${RESPONSE_TIMEOUT_MS} ms`)));
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('error', reject);
      res.once('end', () => {
        // An incomplete or unparsable body is a broken answer, not a response.
        if (!res.complete) return reject(new Error(`${request.method} ${request.path}: response cut off`));
        try {
          resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : null });
        } catch {
          reject(new Error(`${request.method} ${request.path}: body is not JSON: ${text.slice(0, 200)}`));
        }
      });
    });
  });
  return { req, payload, response };
}
