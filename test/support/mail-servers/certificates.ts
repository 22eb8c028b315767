// Per-run certificates for the loopback mail servers, made with the openssl CLI.
// EC keys keep generation to a few milliseconds per certificate.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  keyPem: string;
  certPem: string;
}

export interface TestCertificates {
  /** The test CA: trusted by a probe only when passed as extraCa. */
  caPem: string;
  /** Signed by the CA for CN localhost, SAN DNS:localhost, IP:127.0.0.1, IP:127.0.0.2. */
  server: KeyPair;
  /** Self-signed, same names: no CA vouches for it. */
  selfSigned: KeyPair;
}

export const SERVER_SUBJECT_ALT_NAME = 'DNS:localhost,IP:127.0.0.1,IP:127.0.0.2';

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'conn-certs-'));
  try {
    openssl(['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
      '-subj', '/CN=Connectivity Test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);

    openssl(['req', '-new', ...EC_KEY, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
    writeFileSync(join(dir, 'server.ext'), [
      `subjectAltName=${SERVER_SUBJECT_ALT_NAME}`,
      'basicConstraints=CA:FALSE',
      'extendedKeyUsage=serverAuth',
    ].join('\n'));
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', '2', '-out', 'server.pem', '-extfile', 'server.ext'], dir);

    openssl(['req', '-x509', ...EC_KEY, '-keyout', 'self.key', '-out', 'self.pem', '-days', '2',
      '-subj', '/CN=localhost', '-addext', `subjectAltName=${SERVER_SUBJECT_ALT_NAME}`], dir);

    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    return {
      caPem: read('ca.pem'),
      server: { keyPem: read('server.key'), certPem: read('server.pem') },
      selfSigned: { keyPem: read('self.key'), certPem: read('self.pem') },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
