import { describe, expect, it } from "vitest";
import { checkRoutingUrl, readAllowList } from "./routing-url.js";

const allowList = readAllowList(
  "127.0.0.0/8,::1,carpool.example.org,*.partenaires.example.org,10.20.0.0/16",
);
const dns: Record<string, string[]> = {
  "carpool.example.org": ["203.0.113.5"],
  "api.partenaires.example.org": ["203.0.113.6"],
  "interne.example.org": ["10.20.3.4"],
  "metadata.google.internal": ["169.254.169.254"],
  "piege.example.org": ["10.20.3.4", "169.254.169.254"],
  "ailleurs.example.com": ["198.51.100.7"],
};
const resolve = async (host: string) => dns[host] ?? [];
const check = (url: string) =>
  checkRoutingUrl(url, allowList, resolve).then(
    () => "ok",
    (error: { extensions: { code: string } }) => error.extensions.code,
  );

describe("routing URLs of partner subgraphs", () => {
  it("accepts http(s) URLs whose host or every address is allowed", async () => {
    expect(await check("http://127.0.0.1:4010/graphql")).toBe("ok");
    expect(await check("http://[::1]:4010/graphql")).toBe("ok");
    expect(await check("https://carpool.example.org/graphql")).toBe("ok");
    expect(await check("https://api.partenaires.example.org/graphql")).toBe("ok");
    expect(await check("http://interne.example.org/graphql")).toBe("ok");
  });

  it("refuses other schemes, credentials, unknown hosts and hosts outside the list", async () => {
    for (const url of [
      "file:///etc/passwd",
      "gopher://127.0.0.1/",
      "http://user:pass@127.0.0.1/",
      "pas une url",
      "http://inconnu.invalid/",
      "http://ailleurs.example.com/",
      "http://192.168.1.1/",
    ]) {
      expect(await check(url), url).toBe("ROUTING_URL_REFUSED");
    }
  });

  it("always refuses link-local and metadata addresses, even allowed or behind a name", async () => {
    const open = readAllowList("0.0.0.0/0,::/0,metadata.google.internal");
    for (const url of [
      "http://169.254.169.254/latest/meta-data",
      "http://[fe80::1]/",
      "http://metadata.google.internal/",
      "http://100.100.100.200/",
      "http://[fd00:ec2::254]/",
    ]) {
      await expect(checkRoutingUrl(url, open, resolve), url).rejects.toMatchObject({
        extensions: { code: "ROUTING_URL_REFUSED" },
      });
    }
    expect(await check("http://piege.example.org/")).toBe("ROUTING_URL_REFUSED");
  });

  it("rejects a malformed allow-list at start", () => {
    expect(() => readAllowList("10.0.0.0/40")).toThrow(/prefix/);
    expect(() => readAllowList("exemple.org/8")).toThrow(/neither/);
  });
});
