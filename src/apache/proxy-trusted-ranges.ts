// The IPv4 addresses a RemoteIPTrustedProxy / RemoteIPInternalProxy list
// covers, as mod_remoteip reads its words (apr_ipsubnet_create: an address, an
// address/bits, an address/netmask, a legacy `10.1` network). Measured on
// 2.4.71: `0.0.0.0/0` and `::/0` are refused ("The specified network mask is
// invalid"), while `0.0.0.0/0.0.0.0` and `0.0.0.0/1 128.0.0.0/1` are accepted
// and cover every IPv4 client.
import { ipSubnet, parseIPv4 } from "./ip-subnet.js";

const ALL = 2 ** 32;

/** [first, end) of the IPv4 range a word covers, or null (IPv6, a host name, a word APR refuses). */
export function ipv4Range(word: string): [number, number] | null {
  if (ipSubnet(word) !== "ok") return null;
  const slash = word.indexOf("/");
  const ip = slash === -1 ? word : word.slice(0, slash);
  const mask = slash === -1 ? null : word.slice(slash + 1);
  let bytes = parseIPv4(ip);
  let bits = 32;
  if (!bytes) {
    // the legacy network form: `10.1` or `10.1.` is 10.1.0.0/16
    if (ip.includes(":")) return null;
    const parts = ip.split(".").filter((p) => p !== "");
    if (parts.length === 0 || parts.length > 4) return null;
    bytes = [...parts.map(Number), 0, 0, 0, 0].slice(0, 4);
    bits = parts.length * 8;
  }
  if (mask !== null) {
    const dotted = parseIPv4(mask);
    if (dotted) {
      const m = ((dotted[0]! << 24) | (dotted[1]! << 16) | (dotted[2]! << 8) | dotted[3]!) >>> 0;
      // a contiguous mask (ones, then zeros) is a prefix length; another covers no single range
      const host = ~m >>> 0;
      if ((host & (host + 1)) !== 0) return null;
      bits = 32 - Math.log2(host + 1);
    } else bits = Number(mask);
  }
  const addr = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const size = 2 ** (32 - bits);
  const first = Math.floor(addr / size) * size;
  return [first, first + size];
}

/** Do these words, together, cover every IPv4 address? */
export function coversAllIPv4(words: readonly string[]): boolean {
  const ranges = words.map(ipv4Range).filter((r): r is [number, number] => r !== null).sort((a, b) => a[0] - b[0]);
  let reach = 0;
  for (const [lo, hi] of ranges) {
    if (lo > reach) return false;
    reach = Math.max(reach, hi);
    if (reach >= ALL) return true;
  }
  return reach >= ALL;
}
