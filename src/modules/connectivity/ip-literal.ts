// Turns the host a user typed into either an IP address or a DNS name, so that the guard checks
// the same address the socket will dial. Numeric IPv4 spellings (2130706433, 0x7f.1, 0177.0.0.1,
// 127.1) are read with the WHATWG URL / inet_aton rule rather than handed to the resolver,
// because resolvers disagree about them and that disagreement is how guards get bypassed.
import net from 'node:net';

export type HostLiteral =
  | { kind: 'ip'; address: string; family: 4 | 6 }
  | { kind: 'name'; name: string }
  | { kind: 'invalid'; reason: string };

const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|[0-9]+)$/i;

/** One part of a numeric IPv4 spelling: decimal, 0-prefixed octal or 0x-prefixed hex. */
function parseIpv4Part(part: string): number | null {
  if (part === '') return null;
  if (/^0x/i.test(part)) return part.length === 2 ? 0 : /^0x[0-9a-f]+$/i.test(part) ? Number.parseInt(part.slice(2), 16) : null;
  if (part.length > 1 && part.startsWith('0')) return /^[0-7]+$/.test(part) ? Number.parseInt(part, 8) : null;
  return /^[0-9]+$/.test(part) ? Number.parseInt(part, 10) : null;
}

/**
 * Reads a numeric IPv4 spelling as browsers do: up to four parts, every part but the last one
 * byte, the last part filling the remaining bytes. Returns dotted decimal, or null if invalid.
 */
export function parseIpv4Spelling(host: string): string | null {
  const parts = host.split('.');
  if (parts.length > 4) return null;
  const numbers = parts.map(parseIpv4Part);
  if (numbers.some((n) => n === null)) return null;
  const values = numbers as number[];
  const last = values[values.length - 1]!;
  if (values.slice(0, -1).some((n) => n > 255)) return null;
  if (last >= 256 ** (5 - values.length)) return null;
  let value = last;
  values.slice(0, -1).forEach((n, index) => {
    value += n * 256 ** (3 - index);
  });
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export function classifyHost(rawHost: string): HostLiteral {
  let host = rawHost.trim().toLowerCase();
  if (host.endsWith('.') && !host.endsWith('..')) host = host.slice(0, -1);
  if (host === '') return { kind: 'invalid', reason: 'The host is empty.' };

  if (host.startsWith('[') && host.endsWith(']')) {
    const inner = host.slice(1, -1);
    if (!net.isIPv6(inner)) return { kind: 'invalid', reason: 'The bracketed host is not an IPv6 address.' };
    host = inner;
  }
  // A zone index (fe80::1%eth0) only means something for link-local addresses on this machine.
  if (host.includes('%')) return { kind: 'invalid', reason: 'IPv6 zone indexes are not accepted.' };
  if (net.isIPv6(host)) return { kind: 'ip', address: host, family: 6 };
  if (net.isIPv4(host)) return { kind: 'ip', address: host, family: 4 };

  const labels = host.split('.');
  if (NUMERIC_LABEL.test(labels[labels.length - 1]!)) {
    // A DNS name cannot end in a numeric label, so this is meant as an IPv4 address.
    const address = parseIpv4Spelling(host);
    return address
      ? { kind: 'ip', address, family: 4 }
      : { kind: 'invalid', reason: 'The host looks like an IPv4 address but is not a valid one.' };
  }
  return { kind: 'name', name: host };
}

/** The 16 bytes of an IPv6 address (which must already have passed net.isIPv6, no zone). */
export function ipv6Bytes(address: string): Uint8Array {
  let text = address;
  const bytes = new Uint8Array(16);
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -dotted[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  groups.forEach((group, index) => {
    const value = Number.parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 255;
  });
  return bytes;
}

export function ipv4FromBytes(bytes: Uint8Array, offset: number): string {
  return Array.from(bytes.subarray(offset, offset + 4)).join('.');
}
