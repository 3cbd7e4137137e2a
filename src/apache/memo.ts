/**
 * Memoises a pure function of a string. Large configs repeat the same regexes
 * thousands of times; the cache is bounded so a long-lived process (a language
 * server) does not grow without limit.
 */
export function memoByString<T>(fn: (s: string) => T, limit = 10_000): (s: string) => T {
  const cache = new Map<string, T>();
  return (s: string) => {
    let v = cache.get(s);
    if (v === undefined && !cache.has(s)) {
      v = fn(s);
      if (cache.size >= limit) cache.clear();
      cache.set(s, v);
    }
    return v as T;
  };
}
