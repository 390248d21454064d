import { isIP } from 'node:net';

const IPV4_MAPPED_PREFIX = '::ffff:';

/**
 * The address of the client that made a request, believing `X-Forwarded-For` only as far
 * as `trustProxy` hops of our own proxies go.
 *
 * Each trusted proxy appends the address it received the request from, so with `n`
 * trusted hops the client is the `n`-th entry from the right of the chain formed by the
 * header entries followed by the socket address. Entries further left were written by
 * the client itself and are never believed. An entry that is not an IP address ends the
 * search at the last address we could trust.
 *
 * @param forwardedFor the `X-Forwarded-For` header value(s), as Node gives them
 * @param remoteAddress the socket's peer address
 * @param trustProxy number of trusted proxy hops (`TRUST_PROXY`), 0 to ignore the header
 * @returns the client address (IPv4-mapped IPv6 addresses as plain IPv4), or `unknown`
 *
 * @example
 * clientIp('203.0.113.7, 10.0.0.2', '10.0.0.3', 2); // '203.0.113.7'
 * clientIp('203.0.113.7', '10.0.0.3', 0); // '10.0.0.3'
 */
export function clientIp(
  forwardedFor: string | readonly string[] | undefined,
  remoteAddress: string | undefined,
  trustProxy: number,
): string {
  let client = normalizeAddress(remoteAddress);
  if (!client || trustProxy <= 0 || !forwardedFor) return client ?? 'unknown';

  const hops = forwardedEntries(forwardedFor);
  for (let index = hops.length - 1; index >= Math.max(0, hops.length - trustProxy); index -= 1) {
    const hop = normalizeAddress(hops[index]);
    if (!hop) break;
    client = hop;
  }
  return client;
}

function forwardedEntries(forwardedFor: string | readonly string[]): string[] {
  const joined = typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(',');
  return joined
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

function normalizeAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const bare = stripPort(address.trim()).toLowerCase();
  if (bare.startsWith(IPV4_MAPPED_PREFIX) && isIP(bare.slice(IPV4_MAPPED_PREFIX.length)) === 4) {
    return bare.slice(IPV4_MAPPED_PREFIX.length);
  }
  return isIP(bare) === 0 ? undefined : bare;
}

/** Proxies may write `1.2.3.4:5678` or `[2001:db8::1]:443`; the port is not part of the client. */
function stripPort(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1];
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  return withPort ? withPort[1] : address;
}
