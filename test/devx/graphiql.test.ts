// GraphiQL over HTTP: served to browsers in development from the installed package only, with
// a strict Content-Security-Policy; absent in production together with introspection.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_DEFAULT_HEADERS, prefersHtml } from '../../src/http/graphiql.route.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const INTROSPECTION = '{ __schema { queryType { name } } }';

/** Hosts a page may name in markup without leaving the machine. */
const isLocal = (url: string) => /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/i.test(url);

/**
 * Every URL the page's markup and styles would make a browser load. Script bodies are not
 * markup: their strings include license and documentation links that are never fetched (the
 * browser test checks what is actually requested, and the CSP forbids any other origin).
 */
function loadableUrls(html: string): string[] {
  const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>');
  const styles = [...markup.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((match) => match[1]!);
  const tags = markup.replace(/(<style\b[^>]*>)[\s\S]*?<\/style>/gi, '$1</style>');
  const urls: string[] = [];
  for (const match of tags.matchAll(/\s(?:src|href|srcset|action|formaction|poster|data|background|xlink:href|content)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    urls.push((match[2] ?? match[3] ?? match[4] ?? '').trim());
  }
  for (const css of styles) {
    for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) urls.push(match[2]!.trim());
    for (const match of css.matchAll(/@import\s+(?:url\()?\s*['"]?([^'")\s;]+)/gi)) urls.push(match[1]!.trim());
  }
  return urls;
}

const isForeign = (url: string) => /^(https?:)?\/\//i.test(url) && !isLocal(url.startsWith('//') ? `http:${url}` : url);

describe('the page check', () => {
  it('finds foreign URLs in attributes and styles but not in script text', () => {
    const page = `<html><head><link rel="icon" href="https://cdn.example/x.ico"><link rel=stylesheet href=//cdn.example/a.css>
      <style>a { background: url("https://cdn.example/a.png") } b { background: url(data:image/png;base64,AA==) } @import 'https://fonts.example/f.css';</style></head>
      <body><img src="/local.png"><script src="https://cdn.example/x.js"></script><script>const docs = "https://docs.example"; fetch("/graphql")</script>
      <a href="http://127.0.0.1:4000/graphql">local</a></body></html>`;
    expect(loadableUrls(page).filter(isForeign).sort()).toEqual([
      '//cdn.example/a.css',
      'https://cdn.example/a.png',
      'https://cdn.example/x.ico',
      'https://cdn.example/x.js',
      'https://fonts.example/f.css',
    ]);
  });
});

describe('prefersHtml (which GET /graphql requests get GraphiQL)', () => {
  it.each([
    [BROWSER_ACCEPT, true],
    ['text/html', true],
    ['text/html;q=0.9, application/json;q=0.5', true],
    ['application/json, text/html', false],
    ['application/graphql-response+json, application/json;q=0.9, text/html;q=0.8', false],
    ['*/*', false],
    ['text/*', false],
    ['text/html;q=0', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });
});

describe('GraphiQL in development', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves one self-contained HTML page with a strict Content-Security-Policy', async () => {
    const response = await fetch(`${t.baseUrl}/graphql`, { headers: { accept: BROWSER_ACCEPT, 'accept-encoding': 'identity' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html.length).toBeGreaterThan(1_000_000);

    const csp = response.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual([expect.stringMatching(/^'sha256-[A-Za-z0-9+/]+=*'$/)]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    // No source anywhere in the policy names another origin.
    expect(csp).not.toMatch(/https?:|\*/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');

    // The page loads nothing from another host: no external script, stylesheet, font or image.
    const urls = loadableUrls(html);
    expect(urls.length).toBeGreaterThan(0); // the check sees the markup (e.g. the data: favicon)
    expect(urls.filter(isForeign)).toEqual([]);
    expect(html).not.toMatch(/<script[^>]+\bsrc\s*=/i);
    expect(html).not.toMatch(/<link[^>]+rel\s*=\s*["']?(stylesheet|preload|modulepreload|prefetch|preconnect|dns-prefetch)/i);

    // Pre-filled: the bearer header and a first tab that explains how to sign in.
    expect(html).toContain(JSON.stringify(GRAPHIQL_DEFAULT_HEADERS));
    expect(html).toContain('signUp(input:');
    expect(html).toContain('query Me');
  });

  it('renders the page once, compresses it and answers revalidation with 304', async () => {
    const first = await fetch(`${t.baseUrl}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    const body = Buffer.from(await first.arrayBuffer()); // fetch decodes gzip itself
    const raw = await t.app.http.inject({ method: 'GET', url: '/graphql', headers: { accept: BROWSER_ACCEPT, 'accept-encoding': 'gzip, br' } });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.rawPayload.length).toBeLessThan(body.length / 2);
    expect(gunzipSync(raw.rawPayload).equals(body)).toBe(true);

    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await fetch(`${t.baseUrl}/graphql`, { headers: { accept: BROWSER_ACCEPT, 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('leaves every non-browser request to the GraphQL server', async () => {
    const post = await fetch(`${t.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: BROWSER_ACCEPT }, body: JSON.stringify({ query: '{ health { status } }' }) });
    expect(await post.json()).toEqual({ data: { health: { status: 'ok' } } });
    const get = await fetch(`${t.baseUrl}/graphql?query=${encodeURIComponent('{ health { status } }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(get.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    expect(await get.json()).toEqual({ data: { health: { status: 'ok' } } });
    const introspection = await t.graphql().request<{ __schema: { queryType: { name: string } } }>(INTROSPECTION);
    expect(introspection.__schema.queryType.name).toBe('Query');
  });
});

describe('GraphiQL in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { NODE_ENV: 'production' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a browser with a 404 JSON error and refuses introspection', async () => {
    const page = await fetch(`${t.baseUrl}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^application\/json/);
    expect(page.headers.get('content-security-policy')).toBeNull();
    const body = await page.json();
    expect(body).toEqual({ errors: [{ message: expect.stringMatching(/GraphiQL is disabled/), extensions: { code: 'NOT_FOUND' } }] });

    const introspection = await t.rest('POST', '/graphql', { body: { query: INTROSPECTION } });
    expect(introspection.status).toBe(400);
    expect(introspection.body.errors[0].message).toMatch(/introspection is not allowed/i);
    expect(introspection.body.data).toBeUndefined();

    // Ordinary operations still work.
    expect((await t.rest('POST', '/graphql', { body: { query: '{ health { status } }' } })).body).toEqual({ data: { health: { status: 'ok' } } });
  });
});
