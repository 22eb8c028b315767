// Address ranges a connectivity test must not reach: anything that is not a public unicast
// address (RFC 6890 special-purpose registries), plus the cloud metadata endpoints. The
// operator's allow-list opens exceptions to the ranges, never to the metadata endpoints: no
// mail server lives there, and reading credentials from them is the classic SSRF payoff.
import net from 'node:net';

interface Range {
  cidr: string;
  reason: string;
}

const IPV4_RANGES: Range[] = [
  { cidr: '0.0.0.0/8', reason: 'the unspecified / "this network" range' },
  { cidr: '10.0.0.0/8', reason: 'a private network range (RFC 1918)' },
  { cidr: '100.64.0.0/10', reason: 'the carrier-grade NAT range (RFC 6598)' },
  { cidr: '127.0.0.0/8', reason: 'the loopback range' },
  { cidr: '169.254.0.0/16', reason: 'the link-local range' },
  { cidr: '172.16.0.0/12', reason: 'a private network range (RFC 1918)' },
  { cidr: '192.0.0.0/24', reason: 'the IETF protocol assignments range' },
  { cidr: '192.0.2.0/24', reason: 'a documentation range' },
  { cidr: '192.88.99.0/24', reason: 'the deprecated 6to4 relay range' },
  { cidr: '192.168.0.0/16', reason: 'a private network range (RFC 1918)' },
  { cidr: '198.18.0.0/15', reason: 'the benchmarking range' },
  { cidr: '198.51.100.0/24', reason: 'a documentation range' },
  { cidr: '203.0.113.0/24', reason: 'a documentation range' },
  { cidr: '224.0.0.0/4', reason: 'the multicast range' },
  { cidr: '240.0.0.0/4', reason: 'the reserved range (including broadcast)' },
];

const IPV6_RANGES: Range[] = [
  { cidr: '::/128', reason: 'the unspecified address' },
  { cidr: '::1/128', reason: 'the loopback address' },
  // Deprecated IPv4-compatible form; never dialled, whatever it embeds.
  { cidr: '::/96', reason: 'the deprecated IPv4-compatible range' },
  { cidr: '64:ff9b:1::/48', reason: 'the local-use NAT64 range' },
  { cidr: '100::/64', reason: 'the discard-only range' },
  { cidr: '2001::/32', reason: 'the Teredo tunnelling range' },
  { cidr: '2001:2::/48', reason: 'the benchmarking range' },
  { cidr: '2001:10::/28', reason: 'the ORCHID range' },
  { cidr: '2001:20::/28', reason: 'the ORCHIDv2 range' },
  { cidr: '2001:db8::/32', reason: 'a documentation range' },
  { cidr: '3fff::/20', reason: 'a documentation range' },
  { cidr: '5f00::/16', reason: 'the segment routing (SRv6) range' },
  { cidr: 'fc00::/7', reason: 'the unique local range' },
  { cidr: 'fe80::/10', reason: 'the link-local range' },
  { cidr: 'fec0::/10', reason: 'the deprecated site-local range' },
  { cidr: 'ff00::/8', reason: 'the multicast range' },
];

const METADATA_ADDRESSES: Array<{ address: string; family: 'ipv4' | 'ipv6' }> = [
  { address: '169.254.169.254', family: 'ipv4' }, // AWS, GCP, Azure, OpenStack, DigitalOcean…
  { address: '169.254.170.2', family: 'ipv4' }, // AWS ECS task metadata
  { address: '169.254.170.23', family: 'ipv4' }, // AWS EKS pod identity
  { address: '168.63.129.16', family: 'ipv4' }, // Azure WireServer (a public address)
  { address: '100.100.100.200', family: 'ipv4' }, // Alibaba Cloud
  { address: '192.0.0.192', family: 'ipv4' }, // Oracle Cloud
  { address: 'fd00:ec2::254', family: 'ipv6' }, // AWS IMDS over IPv6
  { address: 'fd00:ec2::23', family: 'ipv6' }, // AWS EKS pod identity over IPv6
  { address: 'fd20:ce::254', family: 'ipv6' }, // GCP metadata over IPv6
];

export const METADATA_REASON = 'a cloud metadata endpoint';

function blockListOf(ranges: Range[], family: 'ipv4' | 'ipv6'): Array<{ list: net.BlockList; reason: string }> {
  return ranges.map(({ cidr, reason }) => {
    const [network, prefix] = cidr.split('/') as [string, string];
    const list = new net.BlockList();
    list.addSubnet(network, Number(prefix), family);
    return { list, reason };
  });
}

const IPV4_RULES = blockListOf(IPV4_RANGES, 'ipv4');
const IPV6_RULES = blockListOf(IPV6_RANGES, 'ipv6');

const METADATA = new net.BlockList();
for (const { address, family } of METADATA_ADDRESSES) METADATA.addAddress(address, family);

export function isMetadataAddress(address: string, family: 4 | 6): boolean {
  return METADATA.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why the address is not public unicast, or null when it is. */
export function blockedRangeReason(address: string, family: 4 | 6): string | null {
  const rules = family === 4 ? IPV4_RULES : IPV6_RULES;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return rules.find((rule) => rule.list.check(address, type))?.reason ?? null;
}
