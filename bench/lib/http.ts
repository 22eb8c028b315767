// HTTP helpers: JSON calls for setup, and a keep-alive client for sequential latency samples.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface JsonResponse {
  status: number;
  body: any;
}

export async function callJson(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function expectJson(baseUrl: string, method: string, path: string, status: number, options: { token?: string; body?: unknown } = {}): Promise<any> {
  const response = await callJson(baseUrl, method, path, options);
  if (response.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
  return response.body;
}

export interface SignedUp {
  token: string;
  userId: string;
  accountId: string;
  email: string;
}

let signUps = 0;

export async function signUp(baseUrl: string, prefix = 'bench'): Promise<SignedUp> {
  signUps += 1;
  const email = `${prefix}${signUps}-${Date.now().toString(36)}@example.test`;
  const body = await expectJson(baseUrl, 'POST', '/api/auth/sign-up', 201, { body: { email, password: 'a long bench passphrase', account_name: `${prefix} account ${signUps}` } });
  return { token: body.token, userId: body.user.id, accountId: body.account.id, email };
}

export interface PreparedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** One request on a kept-alive connection; resolves with the status after the body is read. */
export function sendOnAgent(agent: http.Agent, port: number, request: PreparedRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, agent, method: request.method, path: request.path, headers: { ...request.headers, ...(request.body ? { 'content-length': Buffer.byteLength(request.body) } : {}) }, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(request.body);
  });
}

/**
 * Sequential requests on one kept-alive connection: at most `maxCount` of them and at most
 * `maxMs` in all. Returns each request's latency in milliseconds. Fails on an unexpected status.
 */
export async function sampleLatency(port: number, request: PreparedRequest, expectStatus: number, maxCount: number, maxMs: number, agent?: http.Agent): Promise<number[]> {
  const ownAgent = agent ?? new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  const stopAt = performance.now() + maxMs;
  try {
    while (samples.length < maxCount && performance.now() < stopAt) {
      const started = performance.now();
      const { status, body } = await sendOnAgent(ownAgent, port, request);
      samples.push(performance.now() - started);
      if (status !== expectStatus) throw new Error(`${request.method} ${request.path}: expected ${expectStatus}, got ${status}: ${body.slice(0, 300)}`);
    }
  } finally {
    if (!agent) ownAgent.destroy();
  }
  return samples;
}
