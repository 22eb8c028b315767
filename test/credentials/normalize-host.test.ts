import { describe, expect, it } from 'vitest';
import { normalizeHost } from '../../src/modules/credentials/normalize-host.js';

describe('normalizeHost accepts', () => {
  it.each([
    // DNS names, lower-cased; one trailing dot dropped.
    ['imap.example.com', 'imap.example.com'],
    ['MAIL.Example.COM', 'mail.example.com'],
    ['mail.example.com.', 'mail.example.com'],
    ['localhost', 'localhost'],
    ['mail-1.eu-west.example.co.uk', 'mail-1.eu-west.example.co.uk'],
    ['123.example.com', '123.example.com'],
    ['a--b.example.com', 'a--b.example.com'],
    [`${'a'.repeat(63)}.example.com`, `${'a'.repeat(63)}.example.com`],
    [Array.from({ length: 4 }, () => 'a'.repeat(63)).join('.').slice(0, 253), Array.from({ length: 4 }, () => 'a'.repeat(63)).join('.').slice(0, 253)],
    // Internationalised names become punycode.
    ['bücher.de', 'xn--bcher-kva.de'],
    ['BÜCHER.de', 'xn--bcher-kva.de'],
    ['mail.straße.de', 'mail.xn--strae-oqa.de'],
    ['почта.рф', 'xn--80a1acny.xn--p1ai'],
    ['mail。example。com', 'mail.example.com'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['XN--BCHER-KVA.DE', 'xn--bcher-kva.de'],
    // IPv4 dotted quads.
    ['192.0.2.10', '192.0.2.10'],
    ['127.0.0.1', '127.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['192.0.2.10.', '192.0.2.10'],
    // IPv6, bare or bracketed, stored bare and canonical.
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['::ffff:192.0.2.10', '::ffff:c000:20a'],
  ])('%j → %j', (raw, host) => {
    expect(normalizeHost(raw)).toEqual({ ok: true, host });
  });
});

describe('normalizeHost refuses', () => {
  it.each([
    ['', 'must not be empty'],
    ['x'.repeat(2000), 'must be at most 253 characters'],
    ['imap .example.com', 'must not contain whitespace'],
    [' imap.example.com', 'must not contain whitespace'],
    ['imap.example.com\n', 'must not contain whitespace'],
    ['imap.example.com\u00a0', 'must not contain whitespace'],
    ['imap\u0000.example.com', 'must not contain control or invisible formatting characters'],
    ['imap\u00ad.example.com', 'must not contain control or invisible formatting characters'],
    ['imaps://imap.example.com', 'must not include a scheme such as imaps://; give the host name only'],
    ['https://imap.example.com/', 'must not include a scheme such as imaps://; give the host name only'],
    ['user@imap.example.com', 'must not include user info (name@); put the user name in the username field'],
    ['imap.example.com/inbox', 'must not include a path, query or fragment; give the host name only'],
    ['imap.example.com?x=1', 'must not include a path, query or fragment; give the host name only'],
    ['imap.example.com#x', 'must not include a path, query or fragment; give the host name only'],
    ['imap\\example.com', 'must not include a path, query or fragment; give the host name only'],
    ['imap.example.com:993', 'must not include a port; use the port field'],
    ['192.0.2.10:993', 'must not include a port; use the port field'],
    ['[::1]:993', 'must not include a port; use the port field'],
    ['[::1', 'has an unclosed square bracket'],
    ['[::1]x', 'must not have anything after the closing square bracket'],
    ['[192.0.2.10]', 'may use square brackets only around an IPv6 address'],
    ['[fe80::1%25eth0]', 'must not include an IPv6 zone id (%…); it only has meaning on one machine'],
    ['fe80::1%eth0', 'must not include an IPv6 zone id (%…); it only has meaning on one machine'],
    ['imap[1].example.com', 'may use square brackets only around a whole IPv6 address'],
    ['1:2:3:4:5:6:7:8:9', 'is not a valid host name, IPv4 address or IPv6 address'],
    ['ex%41mple.com', 'must not contain percent-encoding (%)'],
    ['2130706433', 'looks like a numeric IP address; write IPv4 addresses as four decimal numbers 0-255 without leading zeros, e.g. 192.0.2.10'],
    ['0x7f.1', 'looks like a numeric IP address; write IPv4 addresses as four decimal numbers 0-255 without leading zeros, e.g. 192.0.2.10'],
    ['0x7f.0.0.1', 'looks like a numeric IP address; write IPv4 addresses as four decimal numbers 0-255 without leading zeros, e.g. 192.0.2.10'],
    ['0177.0.0.1', 'looks like a numeric IP address; write IPv4 addresses as four decimal numbers 0-255 without leading zeros, e.g. 192.0.2.10'],
    ['127.1', 'looks like a numeric IP address; write IPv4 addresses as four decimal numbers 0-255 without leading zeros, e.g. 192.0.2.10'],
    ['256.1.1.1', 'looks like a numeric IP address; write IPv4 addresses as four decimal numbers 0-255 without leading zeros, e.g. 192.0.2.10'],
    ['1.2.3.4.5', 'looks like a numeric IP address; write IPv4 addresses as four decimal numbers 0-255 without leading zeros, e.g. 192.0.2.10'],
    ['mail.example.0x1', 'looks like a numeric IP address; write IPv4 addresses as four decimal numbers 0-255 without leading zeros, e.g. 192.0.2.10'],
    ['１２７.０.０.１', 'looks like a numeric IP address; write IPv4 addresses as four decimal numbers 0-255 without leading zeros, e.g. 192.0.2.10'],
    ['-imap.example.com', 'must not have a label that starts or ends with a hyphen'],
    ['imap-.example.com', 'must not have a label that starts or ends with a hyphen'],
    [`${'a'.repeat(64)}.example.com`, 'must not contain a label (part between dots) longer than 63 characters'],
    [Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.'), 'must be at most 253 characters (after punycode conversion)'],
    ['imap..example.com', 'must not contain an empty label (a leading dot or two dots in a row)'],
    ['.example.com', 'must not contain an empty label (a leading dot or two dots in a row)'],
    ['example.com..', 'must not contain an empty label (a leading dot or two dots in a row)'],
    ['.', 'must not contain an empty label (a leading dot or two dots in a row)'],
    ['imap_mail.example.com', 'may contain only letters, digits, hyphens and dots; found "_"'],
    ['imap*.example.com', 'may contain only letters, digits, hyphens and dots; found "*"'],
    ['xn--a.example.com', 'contains an xn-- label that is not valid punycode'],
    ['b\u0378.de', 'is not a valid internationalised domain name'],
    ['\u0301abc.de', 'is not a valid internationalised domain name'],
    ['bücher\uFFFD.de', 'is not a valid internationalised domain name'],
    ['ü-.de', 'must not have a label that starts or ends with a hyphen'],
    ['xn----dha.de', 'must not have a label that starts or ends with a hyphen'],
  ])('%j: %s', (raw, message) => {
    expect(normalizeHost(raw)).toEqual({ ok: false, message });
  });
});
