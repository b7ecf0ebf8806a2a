import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Rest-hook endpoints are URLs chosen by whoever writes a Subscription: without a guard they are a
 * server-side request forgery channel into the clinic's network or a cloud metadata service.
 * Refused: loopback, private, link-local (169.254.169.254 metadata included), carrier-grade NAT,
 * unique-local and multicast ranges — unless the host is allow-listed by configuration
 * (CARELINE_SUBSCRIPTION_ALLOWED_HOSTS). The check runs inside the connection's DNS lookup, so the
 * address checked is the address connected to (no DNS-rebinding window).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) blocked.addSubnet(net, prefix, 'ipv6');

export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export class EndpointRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'EndpointRefusedError';
  }
}

/** Static checks of an endpoint URL: http(s), no credentials in it. Returns the parsed URL. */
export function parseEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new EndpointRefusedError('the endpoint is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new EndpointRefusedError('the endpoint must be http or https');
  if (url.username || url.password) throw new EndpointRefusedError('credentials belong in channel.header, not in the URL');
  return url;
}

export function isAllowListed(url: URL, allowedHosts: readonly string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return allowedHosts.some((h) => h.toLowerCase() === host || h.toLowerCase() === `${host}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that refuses blocked addresses unless the host is allow-listed. */
export function guardedLookup(allowListed: boolean): (hostname: string, options: object, callback: LookupCallback) => void {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses;
      const bad = list.find((a) => isBlockedAddress(a.address));
      if (bad && !allowListed) {
        return callback(Object.assign(new EndpointRefusedError(`the endpoint resolves to a private or local address`), { code: 'EREFUSED' }), []);
      }
      const wantsAll = (options as { all?: boolean }).all === true;
      const first = list[0];
      if (wantsAll) return callback(null, list);
      if (!first) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), []);
      return callback(null, first.address, first.family);
    });
  };
}
