// One JSON request to a server running in another process (where Fastify's inject cannot
// reach): the status and the parsed body. The timeout turns a hung request into a failure
// that names it, instead of a test that runs into its own timeout.
const REQUEST_TIMEOUT_MS = 15_000;

export type CallResult = { status: number; body: any };

export async function call(baseUrl: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<CallResult> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
