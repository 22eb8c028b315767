// The private-address guard. The host is resolved once; the address that passes the check is
// the one the probe dials (while TLS still verifies the original name), so a second, different
// DNS answer (rebinding) never reaches a socket.
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { blockedRangeReason, isMetadataAddress, METADATA_REASON } from './blocked-ranges.js';
import { classifyHost, ipv4FromBytes, ipv6Bytes } from './ip-literal.js';
import type { ConnectivityError } from './types.js';

export interface CheckedAddress {
  address: string;
  family: 4 | 6;
  /** The DNS name to verify the certificate against; undefined when the host was an IP. */
  servername: string | undefined;
}

type Refusal = { ok: false; error: ConnectivityError };
export type AddressCheck = { ok: true; address: string; family: 4 | 6 } | Refusal;
export type GuardOutcome = { ok: true; target: CheckedAddress } | Refusal;

export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

const ALLOW_LIST_HINT = 'If this server is trusted, the operator can allow its address with CONNECTIVITY_ALLOWED_HOSTS.';

/** Parses allow-list entries (IPs or CIDRs, either family); entries that do not parse are returned apart. */
export function parseAllowList(entries: readonly string[]): { list: net.BlockList; invalid: string[] } {
  const list = new net.BlockList();
  const invalid: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    const [address = '', prefixText, extra] = entry.replace(/^\[(.*)\]/, '$1').split('/');
    const family = net.isIP(address);
    const prefix = prefixText === undefined ? undefined : Number(prefixText);
    const maxPrefix = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= maxPrefix && /^\d+$/.test(prefixText!)))) {
      invalid.push(raw);
      continue;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return { list, invalid };
}

/**
 * IPv6 forms that carry an IPv4 address which decides where the packets really go:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96) and
 * 6to4 (2002:AABB:CCDD::/48).
 */
function embeddedIpv4(address: string): { ipv4: string; mapped: boolean } | null {
  const bytes = ipv6Bytes(address);
  const zeros = (from: number, to: number) => bytes.subarray(from, to).every((b) => b === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return { ipv4: ipv4FromBytes(bytes, 12), mapped: true };
  if (zeros(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zeros(10, 12)) return { ipv4: ipv4FromBytes(bytes, 12), mapped: false };
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) {
    return { ipv4: ipv4FromBytes(bytes, 12), mapped: false };
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return { ipv4: ipv4FromBytes(bytes, 2), mapped: false };
  // ::a.b.c.d (IPv4-compatible) is refused as a whole range; its embedded address only names the reason.
  if (zeros(0, 12) && !zeros(12, 14)) return { ipv4: ipv4FromBytes(bytes, 12), mapped: false };
  return null;
}

function refused(address: string, reason: string, allowListHint: boolean): Refusal {
  return {
    ok: false,
    error: {
      code: 'HOST_NOT_ALLOWED',
      message: `The address ${address} is in ${reason}; this server does not connect there.`,
      ...(allowListHint ? { hint: ALLOW_LIST_HINT } : {}),
    },
  };
}

/** Checks one IP address; returns the address to dial (IPv4-mapped forms become plain IPv4). */
export function checkAddress(address: string, family: 4 | 6, allowList: net.BlockList): AddressCheck {
  const embedded = family === 6 ? embeddedIpv4(address) : null;
  if (embedded?.mapped) return checkAddress(embedded.ipv4, 4, allowList);

  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (isMetadataAddress(address, family) || (embedded && isMetadataAddress(embedded.ipv4, 4))) {
    return refused(address, METADATA_REASON, false);
  }
  if (allowList.check(address, type)) return { ok: true, address, family };

  const reason = blockedRangeReason(address, family);
  const embeddedReason = embedded ? blockedRangeReason(embedded.ipv4, 4) : null;
  if (embeddedReason) return refused(address, `${embeddedReason} (embedded in an IPv6 address)`, true);
  if (reason) return refused(address, reason, true);
  return { ok: true, address, family };
}

const DNS_FAILURE_CODES = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NODATA', 'EAI_NONAME', 'ENONAME', 'ESERVFAIL', 'EAI_FAIL', 'EREFUSED', 'ETIMEOUT', 'EAI_AGAIN']);

function dnsFailure(host: string, error: unknown): ConnectivityError {
  const code = (error as { code?: unknown } | null)?.code;
  const temporary = code === 'EAI_AGAIN' || code === 'ETIMEOUT' || code === 'ESERVFAIL';
  return {
    code: 'DNS_NOT_FOUND',
    message: temporary
      ? `The host name ${host} could not be resolved right now (temporary DNS failure).`
      : `The host name ${host} could not be resolved.`,
    hint: temporary ? 'Try again later; if it persists, check the DNS of the server.' : 'Check the host name for typos.',
  };
}

export function isDnsFailureCode(code: unknown): boolean {
  return typeof code === 'string' && DNS_FAILURE_CODES.has(code);
}

/**
 * Resolves the host once and checks the answer. With several addresses the first allowed IPv4
 * one wins (outbound IPv6 is often unrouted on servers), then the first allowed IPv6 one.
 */
export async function guardHost(host: string, allowedHosts: readonly string[], resolver: Resolver = systemResolver): Promise<GuardOutcome> {
  const literal = classifyHost(host);
  if (literal.kind === 'invalid') {
    return { ok: false, error: { code: 'HOST_NOT_ALLOWED', message: literal.reason, hint: 'Use a DNS host name or a plain IPv4 / IPv6 address.' } };
  }
  const { list: allowList } = parseAllowList(allowedHosts);

  if (literal.kind === 'ip') {
    const checked = checkAddress(literal.address, literal.family, allowList);
    return checked.ok ? { ok: true, target: { address: checked.address, family: checked.family, servername: undefined } } : checked;
  }

  let answers: string[];
  try {
    answers = await resolver(literal.name);
  } catch (error) {
    return { ok: false, error: dnsFailure(literal.name, error) };
  }
  const candidates = answers.map((answer) => classifyHost(answer)).filter((entry) => entry.kind === 'ip');
  if (candidates.length === 0) return { ok: false, error: dnsFailure(literal.name, { code: 'ENODATA' }) };

  const checked = candidates.map((entry) => checkAddress(entry.address, entry.family, allowList));
  const allowed = checked.filter((entry) => entry.ok);
  const chosen = allowed.find((entry) => entry.family === 4) ?? allowed[0];
  if (!chosen) return checked[0] as Refusal;
  return { ok: true, target: { address: chosen.address, family: chosen.family, servername: literal.name } };
}
