import ipaddr from 'ipaddr.js';

type ParsedRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses an address or CIDR; `null` when it is neither. IPv4-mapped IPv6 becomes IPv4. */
export function parseIpRange(value: string): ParsedRange | null {
  try {
    if (value.includes('/')) {
      const [address, bits] = ipaddr.parseCIDR(value);
      const normalised = normalise(address);
      const mapped = address.kind() === 'ipv6' && normalised.kind() === 'ipv4';
      if (mapped && bits < 96) return null;
      return [normalised, mapped ? bits - 96 : bits];
    }
    const address = normalise(ipaddr.parse(value));
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/** The canonical text of an address or CIDR, e.g. `10.0.0.0/8` or `2001:db8::1`. */
export function canonicalIpRange(value: string): string | null {
  const range = parseIpRange(value);
  if (!range) return null;
  const [address, bits] = range;
  const full = address.kind() === 'ipv4' ? 32 : 128;
  if (bits === full) return address.toString();
  const masked =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  return `${masked.toString()}/${bits}`;
}

/** Whether `ip` falls inside the parsed range; addresses of the other family never match. */
export function ipInRange(ip: string, range: ParsedRange): boolean {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = normalise(ipaddr.parse(ip));
  } catch {
    return false;
  }
  if (address.kind() !== range[0].kind()) return false;
  return address.match(range as [typeof address, number]);
}

function normalise(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}
