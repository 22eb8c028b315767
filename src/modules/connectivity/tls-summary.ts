// What a probe reports about the TLS session it negotiated.
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { CertificateSummary, TlsSummary } from './types.js';

type DistinguishedName = PeerCertificate['subject'];

function commonName(name: DistinguishedName | undefined): string {
  if (!name) return '';
  const cn = (name as unknown as Record<string, string | string[] | undefined>).CN;
  if (Array.isArray(cn)) return cn.join(', ');
  if (cn) return cn;
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

function isoDate(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

function summariseCertificate(certificate: PeerCertificate): CertificateSummary | null {
  // getPeerCertificate() returns an empty object when there is no certificate.
  if (!certificate || !certificate.fingerprint256) return null;
  return {
    subject: commonName(certificate.subject),
    issuer: commonName(certificate.issuer),
    validTo: isoDate(certificate.valid_to),
    fingerprint256: certificate.fingerprint256,
  };
}

export function summariseTls(socket: TLSSocket): TlsSummary {
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.name ?? 'unknown',
    authorized: socket.authorized,
    certificate: summariseCertificate(socket.getPeerCertificate(false)),
  };
}
