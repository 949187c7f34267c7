import dns from 'node:dns/promises';
import net from 'node:net';

// Production callbacks go only to public HTTPS hosts: the platform must not be usable to
// reach its own network (SSRF). Every address a name resolves to is checked, and the
// connection is then pinned to a checked address so a second lookup cannot swap it.

const NON_PUBLIC = new net.BlockList();
for (const [net4, bits] of [
  ['0.0.0.0', 8], // unspecified / "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) NON_PUBLIC.addSubnet(net4, bits, 'ipv4');
for (const [net6, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated): embeds an IPv4 address
  ['64:ff9b::', 96], // NAT64: may embed any IPv4 address
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) NON_PUBLIC.addSubnet(net6, bits, 'ipv6');

/** True for an address on the public Internet; IPv4-mapped IPv6 is judged as its IPv4. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface PinnedAddress {
  address: string;
  family: 4 | 6;
}

/** A refusal is final (policy); a failed lookup is retried like any network error. */
export type GuardResult = { ok: true; pinned?: PinnedAddress } | { ok: false; error: string; retry?: boolean };

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;
const systemResolver: Resolver = (host) => dns.lookup(host, { all: true, verbatim: true });

/**
 * Sandbox: any http(s) URL (merchants test against localhost). Production: https only, and
 * a host whose every address is public; the result pins the address to connect to.
 */
export async function guardCallbackUrl(
  raw: string, opts: { production: boolean; resolve?: Resolver },
): Promise<GuardResult> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: 'refused: not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, error: 'refused: only http(s) URLs' };
  if (!opts.production) return { ok: true };
  if (url.protocol !== 'https:') return { ok: false, error: 'refused: production callbacks require https' };
  if (url.username || url.password) return { ok: false, error: 'refused: credentials in the URL' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = net.isIP(host);
  if (literal) {
    return isPublicAddress(host)
      ? { ok: true, pinned: { address: host, family: literal as 4 | 6 } }
      : { ok: false, error: `refused: ${host} is not a public address` };
  }
  let addresses: { address: string; family: number }[];
  try {
    addresses = await (opts.resolve ?? systemResolver)(host);
  } catch (e) {
    return { ok: false, retry: true, error: `lookup of ${host} failed (${(e as { code?: string }).code ?? 'error'})` };
  }
  if (addresses.length === 0) return { ok: false, retry: true, error: `lookup of ${host} found no address` };
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  if (bad) return { ok: false, error: `refused: ${host} resolves to ${bad.address}, not a public address` };
  const first = addresses[0];
  return { ok: true, pinned: { address: first.address, family: first.family === 6 ? 6 : 4 } };
}

/** localhost, *.localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = net.isIP(host);
  if (family === 4) return host.startsWith('127.');
  return family === 6 && (host === '::1' || host === '::ffff:127.0.0.1');
}

export type WebhookUrlProblem = 'invalid' | 'https' | 'credentials' | 'not_public';

/**
 * Where a webhook may point: HTTPS; plain http only to this machine (loopback) and only in
 * the sandbox. Production also refuses a literal non-public address and credentials; the
 * delivery still resolves the name and checks every address (guardCallbackUrl).
 */
export function webhookUrlProblem(raw: string, production: boolean): WebhookUrlProblem | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'invalid';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'invalid';
  if (url.hash) return 'invalid';
  if (url.username || url.password) return 'credentials';
  if (url.protocol === 'http:' && (production || !isLoopbackHost(url.hostname))) return 'https';
  if (!production) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isLoopbackHost(host) || (net.isIP(host) && !isPublicAddress(host))) return 'not_public';
  return undefined;
}
