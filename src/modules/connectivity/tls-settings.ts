// TLS client settings shared by both probes. Certificates are always verified; an operator's
// extra CA bundle is added to Node's root store, never used instead of it.
import tls from 'node:tls';
import type { CheckedAddress } from './address-guard.js';

const MIN_TLS_VERSION = 'TLSv1.2';

// Building a context parses ~140 root certificates; probes share one per CA bundle.
const contextCache = new Map<string, tls.SecureContext>();
const CONTEXT_CACHE_LIMIT = 8;

export function secureContextFor(extraCa: string | undefined): tls.SecureContext {
  const key = extraCa ?? '';
  let context = contextCache.get(key);
  if (!context) {
    context = tls.createSecureContext({
      minVersion: MIN_TLS_VERSION,
      // Without an extra bundle, leave `ca` unset so Node keeps its defaults (NODE_EXTRA_CA_CERTS too).
      ...(extraCa ? { ca: [...tls.rootCertificates, extraCa] } : {}),
    });
    if (contextCache.size >= CONTEXT_CACHE_LIMIT) contextCache.clear();
    contextCache.set(key, context);
  }
  return context;
}

/** Options for tls.connect: dial the checked address, verify the name the user gave. */
export function tlsConnectOptions(target: CheckedAddress, secureContext: tls.SecureContext): tls.ConnectionOptions {
  return {
    host: target.address,
    // SNI and the identity check use the name; for an IP host Node checks the IP SANs instead.
    ...(target.servername ? { servername: target.servername } : {}),
    secureContext,
    minVersion: MIN_TLS_VERSION,
    rejectUnauthorized: true,
  };
}
