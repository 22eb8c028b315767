// Turns what a user typed as a mail server host into the one stored form, or says precisely
// what is wrong with it. The stored form is what connectivity tests dial and what an exact
// host search compares against, so two spellings of the same host must come out identical.
//
// Accepted, and stored as:
// - a DNS host name: lower-case ASCII; internationalised names as punycode (xn--…); one
//   trailing dot (the fully-qualified spelling `mail.example.com.`) is removed;
// - an IPv4 address in dotted-quad form (four decimal numbers 0–255, no leading zeros);
// - an IPv6 address, bare or in URL brackets (`[2001:db8::1]`), stored bare in its
//   canonical compressed lower-case form (`2001:db8::1`).
// Everything else is refused with a message naming the problem: a scheme, user info, a
// path, a port, whitespace, an IPv6 zone id, or a name that is really a number.
import { isIPv6 } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import { HOST_MAX_LENGTH } from './credential.values.js';

export type NormalizedHost = { ok: true; host: string } | { ok: false; message: string };

// Longer input cannot be a valid host even before punycode; refusing it early keeps the
// IDNA conversion below from ever chewing on megabytes of text.
const RAW_INPUT_LIMIT = 1024;
const LABEL_MAX_LENGTH = 63;

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const DOTTED_QUAD_PART = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;
const LABEL_CHARACTERS = /^[a-z0-9-]+$/;

const refuse = (message: string): NormalizedHost => ({ ok: false, message });

export function normalizeHost(raw: string): NormalizedHost {
  if (raw.length === 0) return refuse('must not be empty');
  if (raw.length > RAW_INPUT_LIMIT) return refuse(`must be at most ${HOST_MAX_LENGTH} characters`);
  if (/\s/u.test(raw)) return refuse('must not contain whitespace');
  if (/[\p{Cc}\p{Cf}]/u.test(raw)) return refuse('must not contain control or invisible formatting characters');
  if (SCHEME.test(raw)) return refuse('must not include a scheme such as imaps://; give the host name only');
  if (raw.includes('@')) return refuse('must not include user info (name@); put the user name in the username field');
  if (/[/\\?#]/.test(raw)) return refuse('must not include a path, query or fragment; give the host name only');
  if (raw.startsWith('[')) return bracketedIPv6(raw);
  if (raw.includes('[') || raw.includes(']')) return refuse('may use square brackets only around a whole IPv6 address');
  if (raw.includes(':')) return ipv6OrHostWithPort(raw);
  // Percent-encoding would be decoded by the IDNA step below and smuggle in other characters.
  if (raw.includes('%')) return refuse('must not contain percent-encoding (%)');
  return hostNameOrIPv4(raw);
}

function bracketedIPv6(raw: string): NormalizedHost {
  const match = /^\[([^\]]*)\](.*)$/.exec(raw);
  if (!match) return refuse('has an unclosed square bracket');
  const [, inside = '', after = ''] = match;
  if (/^:\d*$/.test(after)) return refuse('must not include a port; use the port field');
  if (after !== '') return refuse('must not have anything after the closing square bracket');
  if (inside.includes('%')) return refuse('must not include an IPv6 zone id (%…); it only has meaning on one machine');
  if (!isIPv6(inside)) return refuse('may use square brackets only around an IPv6 address');
  return { ok: true, host: canonicalIPv6(inside) };
}

function ipv6OrHostWithPort(raw: string): NormalizedHost {
  const zone = raw.indexOf('%');
  if (zone !== -1 && isIPv6(raw)) return refuse('must not include an IPv6 zone id (%…); it only has meaning on one machine');
  if (isIPv6(raw)) return { ok: true, host: canonicalIPv6(raw) };
  const withPort = /^([^:]+):(\d*)$/.exec(raw);
  if (withPort) return refuse('must not include a port; use the port field');
  return refuse('is not a valid host name, IPv4 address or IPv6 address');
}

/** The WHATWG URL serialisation of an IPv6 address is compressed and lower-case. */
function canonicalIPv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

function hostNameOrIPv4(raw: string): NormalizedHost {
  const ascii = /^[\x00-\x7f]*$/.test(raw);
  // Internationalised names go through UTS #46 (the mapping browsers use): case folding,
  // width folding, then punycode. An empty answer means the name cannot be encoded.
  let host = ascii ? raw.toLowerCase() : domainToASCII(raw);
  if (host === '') return refuse('is not a valid internationalised domain name');
  if (host.endsWith('.')) host = host.slice(0, -1);

  if (ascii && isDottedQuad(host)) return { ok: true, host };
  // A name whose last label is a number is an IP address in disguise: resolvers and URL
  // parsers read `2130706433`, `0x7f.1` or `0177.0.0.1` as 127.0.0.1. Only the plain
  // dotted-quad spelling above is an accepted way to write an IPv4 address. A non-ASCII
  // input that maps to digits (full-width `１２７.０.０.１`) is the same trick.
  if (endsInNumber(host)) {
    return refuse('looks like a numeric IP address; write IPv4 addresses as four decimal numbers 0-255 without leading zeros, e.g. 192.0.2.10');
  }

  const labelProblem = checkLabels(host);
  if (labelProblem) return refuse(labelProblem);
  if (host.split('.').some((label) => label.startsWith('xn--'))) {
    // Punycode labels typed directly must decode to a valid name, just as converted ones do.
    if (ascii && domainToASCII(host) !== host) return refuse('contains an xn-- label that is not valid punycode');
    // The hyphen rule holds for the name as written too: `ü-` encodes to the harmless-looking `xn----dha`.
    if (domainToUnicode(host).split('.').some((label) => label.startsWith('-') || label.endsWith('-'))) {
      return refuse('must not have a label that starts or ends with a hyphen');
    }
  }
  return { ok: true, host };
}

function isDottedQuad(host: string): boolean {
  const parts = host.split('.');
  return parts.length === 4 && parts.every((part) => DOTTED_QUAD_PART.test(part));
}

/** The WHATWG "ends in a number" rule: last label all decimal digits, or 0x followed by hex. */
function endsInNumber(host: string): boolean {
  const last = host.split('.').at(-1) ?? '';
  return /^\d+$/.test(last) || /^0x[0-9a-f]*$/i.test(last);
}

function checkLabels(host: string): string | undefined {
  if (host.length > HOST_MAX_LENGTH) return `must be at most ${HOST_MAX_LENGTH} characters (after punycode conversion)`;
  for (const label of host.split('.')) {
    if (label === '') return 'must not contain an empty label (a leading dot or two dots in a row)';
    if (label.length > LABEL_MAX_LENGTH) return `must not contain a label (part between dots) longer than ${LABEL_MAX_LENGTH} characters`;
    if (!LABEL_CHARACTERS.test(label)) {
      const bad = [...label].find((character) => !LABEL_CHARACTERS.test(character));
      return `may contain only letters, digits, hyphens and dots; found ${JSON.stringify(bad)}`;
    }
    if (label.startsWith('-') || label.endsWith('-')) return 'must not have a label that starts or ends with a hyphen';
  }
  return undefined;
}
