// GraphiQL at GET /graphql for browsers (Accept prefers text/html), in development only. The
// page comes entirely from the installed @graphql-yoga/render-graphiql package: scripts, styles,
// fonts and editor workers are inlined, so nothing is loaded from a CDN. It is ~9 MB, so it is
// rendered (and gzipped) once, on the first request, and served from memory afterwards; a
// strict Content-Security-Policy lets the page talk to this origin only.
// When introspection is off (production), a browser asking for GraphiQL gets a 404 JSON error.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../app-services.js';
import { AppError } from '../errors.js';
import { sendError } from './error-handler.js';

const gzipAsync = promisify(gzip);

export const GRAPHIQL_PATH = '/graphql';

/** Pre-filled in GraphiQL's Headers tab: paste the token from signUp/signIn after "Bearer ". */
export const GRAPHIQL_DEFAULT_HEADERS = '{\n  "Authorization": "Bearer "\n}';

/** The first tab's text: how to get a token, then a query that needs it. */
export const GRAPHIQL_DEFAULT_QUERY = `# Provider credentials API (GraphiQL, development only)
#
# 1. Get a bearer token. Remove the "#" in front of ONE of these mutations, run it
#    (Ctrl-Enter or the play button) and copy "token" from the result:
#
# mutation SignUp {
#   signUp(input: { email: "me@example.com", password: "a long passphrase", accountName: "My company" }) {
#     token
#     account { id name }
#   }
# }
#
# mutation SignIn {
#   signIn(input: { email: "me@example.com", password: "a long passphrase" }) {
#     token
#     accounts { id name }
#   }
# }
#
# 2. Open the "Headers" tab below and paste the token after "Bearer ":
#      { "Authorization": "Bearer pct_..." }
#
# 3. Ask who you are and which accounts you can use:
query Me {
  me {
    email
    memberships { role account { id name } }
  }
}

# 4. Store a credential in one of your accounts (admin role), list them, and test one
#    (a test connects to the mail server: it needs network access to that host):
#
# mutation Create {
#   createProviderCredential(accountId: "acc_...", input: {
#     providerKind: IMAP, host: "imap.example.com", port: 993, securityMode: SSL_TLS,
#     authKind: PASSWORD, username: "me@example.com", secret: "app password"
#   }) { id host usernameMasked }
# }
#
# query List {
#   providerCredentials(accountId: "acc_...") { edges { node { id providerKind host port lastTest { ok } } } }
# }
#
# mutation Test {
#   testProviderCredential(id: "pc_...") { ok stage error { code message hint } latencyMs }
# }
`;

interface RenderedPage {
  html: Buffer;
  gzipped: Buffer;
  etag: string;
  csp: string;
}

const sha256 = (text: string, encoding: 'base64' | 'hex' = 'base64') => createHash('sha256').update(text, 'utf8').digest(encoding);

/**
 * The Content-Security-Policy for the rendered page, found by trial in Chromium (the browser
 * test fails on any violation): nothing from another origin, and only what the page needs.
 * - script-src: the page's one inline <script>, by hash. No 'unsafe-eval' (the bundle and its
 *   workers never eval) and no 'unsafe-inline'.
 * - worker-src blob: the editor's language workers are started from blob: URLs (without it
 *   Monaco falls back to the main thread and freezes while it validates).
 * - style-src 'unsafe-inline': React and Monaco add <style> elements and style attributes at
 *   run time, which a hash cannot cover. Styles cannot run code.
 * - img-src / font-src data: the favicon, icons and fonts are inlined as data: URLs.
 * - connect-src 'self': the GraphQL requests to this server.
 */
export function graphiqlContentSecurityPolicy(html: string): string {
  const scriptHashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => `'sha256-${sha256(match[1]!)}'`);
  return [
    "default-src 'none'",
    `script-src ${scriptHashes.join(' ')}`,
    'worker-src blob:',
    "style-src 'unsafe-inline'",
    'img-src data:',
    'font-src data:',
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

let rendering: Promise<RenderedPage> | undefined;

/** Renders the page once per process; later calls share the result. */
export function renderGraphiQLPage(): Promise<RenderedPage> {
  rendering ??= (async () => {
    // Imported on first use: production never loads the 9 MB module, and start-up stays fast.
    const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
    const text = renderGraphiQL({
      endpoint: GRAPHIQL_PATH,
      title: 'Provider Credentials API',
      defaultQuery: GRAPHIQL_DEFAULT_QUERY,
      headers: GRAPHIQL_DEFAULT_HEADERS,
      // Bearer tokens stay in the tab, not in the browser's localStorage.
      shouldPersistHeaders: false,
    });
    const html = Buffer.from(text, 'utf8');
    return { html, gzipped: await gzipAsync(html, { level: 6 }), etag: `"${sha256(text, 'hex').slice(0, 32)}"`, csp: graphiqlContentSecurityPolicy(text) };
  })();
  rendering.catch(() => {
    rendering = undefined;
  });
  return rendering;
}

/** Quality of one media type in an Accept header: the most specific matching range wins (RFC 9110 §12.5.1). */
function acceptQuality(accept: string, type: string): number {
  const [major] = type.split('/');
  let best = { specificity: -1, q: 0 };
  for (const part of accept.split(',')) {
    const [rangeRaw, ...params] = part.split(';');
    const range = rangeRaw!.trim().toLowerCase();
    const specificity = range === type ? 2 : range === `${major}/*` ? 1 : range === '*/*' ? 0 : -1;
    if (specificity < 0 || specificity < best.specificity) continue;
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    best = { specificity, q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0 };
  }
  return best.q;
}

/** True for a browser navigation: text/html asked for by name and ranked above JSON. */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept || !/text\/html/i.test(accept)) return false;
  const html = acceptQuality(accept, 'text/html');
  const json = Math.max(acceptQuality(accept, 'application/json'), acceptQuality(accept, 'application/graphql-response+json'));
  return html > 0 && html > json;
}

async function serveGraphiQL(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const page = await renderGraphiQLPage();
  reply
    .header('content-security-policy', page.csp)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('x-frame-options', 'DENY')
    // Revalidated every time (cheap: 304), so a new server build never shows a stale page.
    .header('cache-control', 'no-cache')
    .header('etag', page.etag)
    .header('vary', 'accept, accept-encoding');
  if (request.headers['if-none-match'] === page.etag) return reply.code(304).send();
  reply.type('text/html; charset=utf-8');
  if (/\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').send(page.gzipped);
  }
  return reply.send(page.html);
}

/**
 * Answers browser requests for GET /graphql before Apollo sees them: GraphiQL when
 * introspection is on, a 404 JSON error when it is off. Every other request goes to Apollo.
 */
export function registerGraphiQL(app: FastifyInstance, services: Pick<AppServices, 'config'>): void {
  const enabled = services.config.graphqlIntrospection;
  app.addHook('onRequest', async (request, reply) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || request.routeOptions.url !== GRAPHIQL_PATH || !prefersHtml(request.headers.accept)) return;
    if (!enabled) return sendError(request, reply, new AppError('NOT_FOUND', 'GraphiQL is disabled on this server; send GraphQL operations as POST /graphql with a JSON body.'));
    return serveGraphiQL(request, reply);
  });
}
