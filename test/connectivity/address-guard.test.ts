import { describe, expect, it } from 'vitest';
import { guardHost, parseAllowList, type Resolver } from '../../src/modules/connectivity/address-guard.js';
import { parseIpv4Spelling } from '../../src/modules/connectivity/ip-literal.js';
import { runConnectivityProbe } from '../../src/modules/connectivity/probe.js';
import { expectFailure, loopbackOptions, passwordTarget } from './probe-helpers.js';

const noLookups: Resolver = async (host) => {
  throw Object.assign(new Error(`unexpected lookup of ${host}`), { code: 'ENOTFOUND' });
};
const answering = (...addresses: string[]): Resolver => async () => addresses;

async function refusalOf(host: string, allowedHosts: string[] = []) {
  const outcome = await guardHost(host, allowedHosts, noLookups);
  return outcome.ok ? null : outcome.error;
}

describe('address guard', () => {
  describe('refuses every non-public range, in every spelling', () => {
    const blocked: Array<[string, RegExp]> = [
      ['0.0.0.0', /unspecified/],
      ['0.1.2.3', /unspecified/],
      ['10.0.0.1', /private/],
      ['100.64.0.1', /carrier-grade NAT/],
      ['100.127.255.254', /carrier-grade NAT/],
      ['127.0.0.1', /loopback/],
      ['127.255.255.254', /loopback/],
      ['169.254.1.1', /link-local/],
      ['172.16.0.1', /private/],
      ['172.31.255.255', /private/],
      ['192.0.0.8', /IETF protocol/],
      ['192.0.2.1', /documentation/],
      ['192.88.99.1', /6to4 relay/],
      ['192.168.1.1', /private/],
      ['198.18.0.1', /benchmarking/],
      ['198.19.255.255', /benchmarking/],
      ['198.51.100.7', /documentation/],
      ['203.0.113.9', /documentation/],
      ['224.0.0.1', /multicast/],
      ['239.255.255.250', /multicast/],
      ['240.0.0.1', /reserved/],
      ['255.255.255.255', /broadcast/],
      // cloud metadata endpoints
      ['169.254.169.254', /metadata/],
      ['169.254.170.2', /metadata/],
      ['168.63.129.16', /metadata/],
      ['100.100.100.200', /metadata/],
      ['fd00:ec2::254', /metadata/],
      // IPv6
      ['::', /unspecified/],
      ['::1', /loopback/],
      ['[::1]', /loopback/],
      ['0:0:0:0:0:0:0:1', /loopback/],
      ['fc00::1', /unique local/],
      ['fd12:3456::1', /unique local/],
      ['fe80::1', /link-local/],
      ['febf::1', /link-local/],
      ['fec0::1', /site-local/],
      ['ff02::1', /multicast/],
      ['2001:db8::1', /documentation/],
      ['100::1', /discard/],
      ['2001::1', /Teredo/],
      // IPv4 inside IPv6
      ['::ffff:127.0.0.1', /loopback/],
      ['::ffff:7f00:1', /loopback/],
      ['::ffff:10.0.0.1', /private/],
      ['::ffff:169.254.169.254', /metadata/],
      ['::127.0.0.1', /loopback/],
      ['::0.0.0.5', /IPv4-compatible/],
      ['::ffff:0:192.168.0.1', /private/],
      ['64:ff9b::10.0.0.1', /private/],
      ['64:ff9b::a9fe:a9fe', /metadata/],
      ['2002:7f00:1::1', /loopback/],
      ['2002:c0a8:101::1', /private/],
      // numeric IPv4 spellings, read as browsers and inet_aton read them
      ['2130706433', /loopback/],
      ['0x7f000001', /loopback/],
      ['0x7F.1', /loopback/],
      ['0177.0.0.1', /loopback/],
      ['127.1', /loopback/],
      ['127.0.1', /loopback/],
      ['017700000001', /loopback/],
      ['127.0.0.1.', /loopback/],
      [' 127.0.0.1 ', /loopback/],
      ['0', /unspecified/],
      ['10.1', /private/],
      ['3232235777', /private/],
      ['0xa9.0xfe.0xa9.0xfe', /metadata/],
    ];

    it.each(blocked)('%s', async (host, reason) => {
      const error = await refusalOf(host);
      expect(error?.code).toBe('HOST_NOT_ALLOWED');
      expect(error?.message).toMatch(reason);
    });

    it.each(['999.1.1.1', '08.0.0.1', '1.2.3.4.5', '0x1g.1', '256.256', 'fe80::1%eth0', '[example.test]', ''])(
      'refuses the malformed address %j',
      async (host) => {
        expect((await refusalOf(host))?.code).toBe('HOST_NOT_ALLOWED');
      },
    );
  });

  it('accepts public addresses and dials the checked form', async () => {
    const cases: Array<[string, string, 4 | 6]> = [
      ['8.8.8.8', '8.8.8.8', 4],
      ['134744072', '8.8.8.8', 4],
      ['2606:4700:4700::1111', '2606:4700:4700::1111', 6],
      ['::ffff:8.8.8.8', '8.8.8.8', 4],
      ['64:ff9b::808:808', '64:ff9b::808:808', 6],
    ];
    for (const [host, address, family] of cases) {
      const outcome = await guardHost(host, [], noLookups);
      expect(outcome).toEqual({ ok: true, target: { address, family, servername: undefined } });
    }
  });

  it('reads numeric IPv4 spellings with one well-defined rule', () => {
    expect(parseIpv4Spelling('0x7f.1')).toBe('127.0.0.1');
    expect(parseIpv4Spelling('1.2.65535')).toBe('1.2.255.255');
    expect(parseIpv4Spelling('1.2.65536')).toBeNull();
    expect(parseIpv4Spelling('4294967295')).toBe('255.255.255.255');
    expect(parseIpv4Spelling('4294967296')).toBeNull();
    expect(parseIpv4Spelling('0x')).toBe('0.0.0.0');
  });

  it('opens exceptions for allow-listed IPs and CIDRs of both families', async () => {
    const allowed = ['127.0.0.0/8', '::1', '10.1.0.0/16', 'fd00::/8'];
    for (const host of ['127.0.0.5', '::1', '::ffff:127.0.0.1', '10.1.2.3', 'fd00::25']) {
      expect(await refusalOf(host, allowed), host).toBeNull();
    }
    for (const host of ['10.2.0.1', '192.168.0.1', 'fc00::1']) {
      expect((await refusalOf(host, allowed))?.code, host).toBe('HOST_NOT_ALLOWED');
    }
  });

  it('never opens the cloud metadata endpoints, whatever the allow-list says', async () => {
    const everything = ['0.0.0.0/0', '::/0'];
    for (const host of ['169.254.169.254', 'fd00:ec2::254', '::ffff:169.254.169.254']) {
      expect((await refusalOf(host, everything))?.code, host).toBe('HOST_NOT_ALLOWED');
    }
    expect(await refusalOf('169.254.1.1', everything)).toBeNull();
  });

  it('sets invalid allow-list entries apart instead of guessing', () => {
    const { invalid } = parseAllowList(['nonsense', '10.0.0.0/33', '10.0.0.0/8', '::1/129', '::1/128', '1.2.3.4/8/9', ' 127.0.0.1 ']);
    expect(invalid).toEqual(['nonsense', '10.0.0.0/33', '::1/129', '1.2.3.4/8/9']);
  });

  describe('host names', () => {
    it('resolves once and keeps the name for certificate checks', async () => {
      let lookups = 0;
      const resolver: Resolver = async () => {
        lookups += 1;
        return ['93.184.215.14'];
      };
      const outcome = await guardHost('Mail.Example.Test.', [], resolver);
      expect(outcome).toEqual({ ok: true, target: { address: '93.184.215.14', family: 4, servername: 'mail.example.test' } });
      expect(lookups).toBe(1);
    });

    it('refuses a name that resolves to a private address unless allow-listed', async () => {
      const outcome = await guardHost('intranet.example.test', [], answering('10.0.0.7'));
      expect(outcome.ok ? null : outcome.error.code).toBe('HOST_NOT_ALLOWED');
      const allowed = await guardHost('intranet.example.test', ['10.0.0.0/8'], answering('10.0.0.7'));
      expect(allowed.ok).toBe(true);
    });

    it('dials an allowed answer when the name also resolves to blocked ones, preferring IPv4', async () => {
      const outcome = await guardHost('mixed.example.test', [], answering('127.0.0.1', '2606:4700::1', '93.184.215.14'));
      expect(outcome).toEqual({ ok: true, target: { address: '93.184.215.14', family: 4, servername: 'mixed.example.test' } });
      const v6 = await guardHost('v6.example.test', [], answering('::1', '2606:4700::1'));
      expect(v6.ok && v6.target.address).toBe('2606:4700::1');
    });

    it.each([
      ['ENOTFOUND', /could not be resolved\./],
      ['EAI_AGAIN', /temporary DNS failure/],
      ['ENODATA', /could not be resolved\./],
    ])('reports %s as DNS_NOT_FOUND', async (code, message) => {
      const resolver: Resolver = async () => {
        throw Object.assign(new Error('lookup failed'), { code });
      };
      const outcome = await guardHost('missing.example.test', [], resolver);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) {
        expect(outcome.error.code).toBe('DNS_NOT_FOUND');
        expect(outcome.error.message).toMatch(message);
      }
    });

    it('treats an empty or unusable answer as not found', async () => {
      for (const resolver of [answering(), answering('not-an-address')]) {
        const outcome = await guardHost('empty.example.test', [], resolver);
        expect(outcome.ok ? null : outcome.error.code).toBe('DNS_NOT_FOUND');
      }
    });
  });

  describe('through runConnectivityProbe', () => {
    it.each(['imap', 'smtp'] as const)('%s: loopback without an allow-list is HOST_NOT_ALLOWED at stage dns', async (providerKind) => {
      const result = await runConnectivityProbe(passwordTarget({ providerKind, host: '127.0.0.1', port: 993 }), loopbackOptions({ allowedHosts: [] }));
      expectFailure(result, 'HOST_NOT_ALLOWED', 'dns');
      expect(result.server).toBeNull();
    });

    it.each(['imap', 'smtp'] as const)('%s: a name the resolver cannot find is DNS_NOT_FOUND at stage dns', async (providerKind) => {
      const result = await runConnectivityProbe(passwordTarget({ providerKind, host: 'no-such-host.example.test' }), loopbackOptions());
      expectFailure(result, 'DNS_NOT_FOUND', 'dns');
    });

    it('a resolver that never answers is a TIMEOUT at stage dns', async () => {
      const started = Date.now();
      const result = await runConnectivityProbe(
        passwordTarget({ host: 'slow.example.test' }),
        loopbackOptions({ timeoutMs: 300, resolver: () => new Promise<string[]>(() => undefined) }),
      );
      expectFailure(result, 'TIMEOUT', 'dns');
      expect(Date.now() - started).toBeLessThan(300 + 1000);
    });
  });
});
