// How APR reads an IP address or network (apr_ipsubnet_create in
// network_io/unix/sockaddr.c, with apr_inet_pton), for `Require ip`:
// mod_authz_host reports "ip address 'x' appears to be invalid" for a word
// that does not look like an address at all, and adds APR's reason for one
// that does but is not one. Measured on 2.4.71 (test/rules/require-invalid.test.ts).

/** ok, or why APR refuses: not an address at all (APR_EINVAL), a bad address (APR_EBADIP), a bad mask (APR_EBADMASK). */
export type SubnetVerdict = "ok" | "not-ip" | "bad-ip" | "bad-mask";

const isDigit = (c: string) => c >= "0" && c <= "9";

/** APR's inet_pton4: exactly four dot-separated decimal parts of at most 255 each. */
export function parseIPv4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (p === "" || ![...p].every(isDigit)) return null;
    // the value is checked digit by digit: leading zeros are fine, a value over 255 never is
    let v = 0;
    for (const c of p) {
      v = v * 10 + (c.charCodeAt(0) - 48);
      if (v > 255) return null;
    }
    out.push(v);
  }
  return out;
}

/** APR's inet_pton6 (BIND's): 16-bit hex groups, one `::`, an IPv4 tail; the 16 bytes, or null. */
export function parseIPv6(s: string): number[] | null {
  const bytes: number[] = [];
  let gap = -1;
  let i = 0;
  if (s.startsWith(":")) {
    if (s[1] !== ":") return null;
    i = 1;
  }
  let token = i;
  let digits = 0;
  let value = 0;
  for (; i < s.length; i++) {
    const c = s[i]!;
    const hex = "0123456789abcdef".indexOf(c.toLowerCase());
    if (hex !== -1) {
      value = value * 16 + hex;
      if (value > 0xffff) return null;
      digits++;
      continue;
    }
    if (c === ":") {
      token = i + 1;
      if (digits === 0) {
        if (gap !== -1) return null;
        gap = bytes.length;
        continue;
      }
      if (bytes.length + 2 > 16) return null;
      bytes.push(value >> 8, value & 0xff);
      digits = 0;
      value = 0;
      continue;
    }
    if (c === "." && bytes.length + 4 <= 16) {
      const v4 = parseIPv4(s.slice(token));
      if (!v4) return null;
      bytes.push(...v4);
      digits = 0;
      i = s.length;
      break;
    }
    return null;
  }
  if (digits > 0) {
    if (bytes.length + 2 > 16) return null;
    bytes.push(value >> 8, value & 0xff);
  }
  // APR's copy of BIND's parser takes a `::` that stands for no group at all (`1:2:3:4:5:6:7:8::`)
  if (gap !== -1) {
    const tail = bytes.splice(gap);
    while (bytes.length + tail.length < 16) bytes.push(0);
    bytes.push(...tail);
  }
  return bytes.length === 16 ? bytes : null;
}

/** APR's parse_network: the legacy `10.1.` form, one to four decimal parts, each followed by a dot or the end. */
function isNetwork(s: string): boolean {
  // APR copies the string into a buffer the size of "255.255.255.255" first
  if (s.length >= 16) return false;
  let parts = 0;
  let i = 0;
  while (i < s.length) {
    if (!isDigit(s[i]!)) return false;
    let j = i;
    while (j < s.length && isDigit(s[j]!)) j++;
    if (j < s.length && s[j] !== ".") return false;
    if (++parts > 4) return false;
    if (Number(s.slice(i, j)) > 255) return false;
    i = j < s.length ? j + 1 : j;
  }
  return true;
}

/** APR's looks_like_ip: not empty, and a `:` anywhere or nothing but digits and dots. */
function looksLikeIp(s: string): boolean {
  return s !== "" && (s.includes(":") || /^[0-9.]*$/.test(s));
}

/** strtol(s, &end, 10) with nothing left over and 0 < bits <= max. */
function isBitCount(s: string, max: number): boolean {
  const m = /^\s*[+-]?\d+$/.exec(s);
  if (!m) return false;
  const n = Number(s);
  return n > 0 && n <= max;
}

/** APR's verdict on a `Require ip` word: an address, an address/bits or address/netmask, or a legacy partial network. */
export function ipSubnet(word: string): SubnetVerdict {
  const slash = word.indexOf("/");
  const ip = slash === -1 ? word : word.slice(0, slash);
  const mask = slash === -1 ? null : word.slice(slash + 1);
  if (!looksLikeIp(ip)) return "not-ip";
  let v6 = false;
  const six = parseIPv6(ip);
  if (six) {
    // APR refuses an IPv4-mapped IPv6 address: write it as a.b.c.d
    if (six.slice(0, 10).every((b) => b === 0) && six[10] === 0xff && six[11] === 0xff) return "bad-ip";
    v6 = true;
  } else if (!parseIPv4(ip) && (mask !== null || !isNetwork(ip))) return "bad-ip";
  if (mask === null) return "ok";
  if (isBitCount(mask, v6 ? 128 : 32)) return "ok";
  if (!v6 && parseIPv4(mask)) return "ok";
  return "bad-mask";
}
