// How Apache's C handlers read numbers, for rules that must agree with them.

/** glibc's atoi: leading space, a sign and digits (strtol, saturating at 64 bits), cut to an int; 0 without digits. */
export function atoi(v: string): number {
  const m = /^\s*([+-]?\d+)/.exec(v);
  if (!m) return 0;
  const max = (1n << 63n) - 1n;
  const n = BigInt(m[1]!);
  return Number(BigInt.asIntN(32, n > max ? max : n < -max - 1n ? -max - 1n : n));
}
