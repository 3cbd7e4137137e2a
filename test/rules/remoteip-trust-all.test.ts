// remoteip-trust-all: with no trusted list a forged X-Forwarded-For passed Require ip and was logged as %a
// (measured live, test/apache/proxy-silent-live.test.ts); 0.0.0.0/0 itself is refused at startup.
import { describe, expect, it } from "vitest";
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/remoteip-trust-all.js";
import { coversAllIPv4, ipv4Range } from "../../src/apache/proxy-trusted-ranges.js";

ruleTester(testedRule, {
  valid: [
    "RemoteIPHeader X-Forwarded-For\nRemoteIPInternalProxy 10.0.0.0/8\n",
    "RemoteIPTrustedProxy 172.16.0.0/12\n<VirtualHost *:80>\n  RemoteIPHeader X-Real-IP\n</VirtualHost>\n",
    "RemoteIPHeader X-Forwarded-For\nRemoteIPInternalProxyList conf/proxies.lst\n",
    "RemoteIPHeader X-Forwarded-For\nRemoteIPTrustedProxy 0.0.0.0/1 128.0.0.0/2\n",
    "RemoteIPTrustedProxy 10.0.0.1\n",
  ],
  invalid: [
    {
      name: "0.0.0.0/0: refused at startup (measured), reported as an error with Apache's words",
      code: "RemoteIPHeader X-Forwarded-For\nRemoteIPTrustedProxy 0.0.0.0/0 ::/0\n",
      findings: [
        { line: 2, column: 22, endColumn: 31, severity: "error", message: { exact: 'Apache refuses `0.0.0.0/0` at startup: "RemoteIP: Error parsing IP 0.0.0.0/0 (The specified network mask is invalid. error) for RemoteIPTrustedProxy". A trusted-proxy list should name your proxies, never every address.' } },
        { line: 2, column: 32, severity: "error", message: "Apache refuses `::/0` at startup" },
      ],
    },
    {
      name: "no list at all",
      code: "RemoteIPHeader X-Forwarded-For\n",
      findings: [
        { line: 1, column: 1, endColumn: 31, severity: "warning", fix: "none", message: { exact: "`RemoteIPHeader X-Forwarded-For` without RemoteIPTrustedProxy or RemoteIPInternalProxy trusts every client: anyone can send the header and be taken for any address (Require ip, logs). List your proxies' addresses." } },
      ],
    },
    {
      name: "a virtual host's own list replaces the main server's, and covers everything",
      code: "RemoteIPInternalProxy 10.0.0.1\n<VirtualHost *:80>\n  RemoteIPHeader X-Real-IP\n  RemoteIPTrustedProxy 0.0.0.0/0.0.0.0\n</VirtualHost>\n",
      findings: [{ line: 4, column: 3, message: "The trusted-proxy list covers every IPv4 address, so `RemoteIPHeader X-Real-IP` is taken from any client" }],
    },
    {
      name: "two halves over two lines; two servers sharing one list get one finding",
      code: "RemoteIPTrustedProxy 0.0.0.0/1\nRemoteIPTrustedProxy 128.0.0.0/1\nRemoteIPHeader X-Forwarded-For\n<VirtualHost *:80>\n  RemoteIPHeader X-Real-IP\n</VirtualHost>\n",
      findings: [{ line: 2, column: 1, message: "The trusted-proxy list covers every IPv4 address, so `RemoteIPHeader X-Forwarded-For`" }],
    },
  ],
});

describe("IPv4 ranges of a trusted list (apr_ipsubnet_create's forms)", () => {
  it("reads bits, dotted masks, bare addresses and legacy networks", () => {
    expect(ipv4Range("10.0.0.0/8")).toEqual([10 * 2 ** 24, 11 * 2 ** 24]);
    expect(ipv4Range("10.1.2.3")).toEqual([167838211, 167838212]);
    expect(ipv4Range("10.1")).toEqual([167837696, 167903232]);
    expect(ipv4Range("0.0.0.0/0.0.0.0")).toEqual([0, 2 ** 32]);
    expect(ipv4Range("192.168.0.0/255.255.0.0")).toEqual([3232235520, 3232301056]);
    // refused by Apache (measured: "The specified network mask is invalid"): no range
    expect(ipv4Range("0.0.0.0/0")).toBeNull();
    expect(ipv4Range("::/0")).toBeNull();
  });
  it("joins ranges", () => {
    expect(coversAllIPv4(["0.0.0.0/1", "128.0.0.0/1"])).toBe(true);
    expect(coversAllIPv4(["0.0.0.0/1", "128.0.0.0/2"])).toBe(false);
    expect(coversAllIPv4(["128.0.0.0/1", "10.0.0.0/8", "0.0.0.0/1"])).toBe(true);
  });
});
