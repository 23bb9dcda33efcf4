import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { userError } from "../../lib/graphql/errors.js";

/**
 * Where partner subgraphs may be served (`REGISTRY_ALLOWED_HOSTS`): host names (`carpool.example.org`,
 * or `*.example.org` for its subdomains) and networks (`10.0.0.0/8`, `2001:db8::/32`, or one address).
 * The default, loopback only, fits one machine running the hub and a partner's subgraph side by side.
 */
export const DEFAULT_ALLOWED_HOSTS = "127.0.0.0/8,::1/128,localhost";

/** Never reachable from a partner's URL, whatever the allow-list says: link-local and cloud metadata. */
const FORBIDDEN = new BlockList();
FORBIDDEN.addSubnet("169.254.0.0", 16, "ipv4"); // link-local, with AWS/GCP/Azure metadata at 169.254.169.254
FORBIDDEN.addSubnet("fe80::", 10, "ipv6"); // link-local
FORBIDDEN.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud metadata
FORBIDDEN.addAddress("fd00:ec2::254", "ipv6"); // AWS metadata over IPv6
FORBIDDEN.addAddress("168.63.129.16", "ipv4"); // Azure host services

export interface AllowList {
  hosts: string[];
  networks: BlockList;
}

export function readAllowList(
  value = process.env.REGISTRY_ALLOWED_HOSTS ?? DEFAULT_ALLOWED_HOSTS,
): AllowList {
  const hosts: string[] = [];
  const networks = new BlockList();
  for (const entry of value
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address);
    if (family === 0) {
      if (prefix !== undefined)
        throw new Error(`REGISTRY_ALLOWED_HOSTS: "${entry}" is neither a host name nor a network`);
      hosts.push(entry.toLowerCase());
      continue;
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
    if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128))
      throw new Error(`REGISTRY_ALLOWED_HOSTS: bad prefix in "${entry}"`);
    networks.addSubnet(address, bits, type);
  }
  return { hosts, networks };
}

const family = (address: string) => (isIP(address) === 6 ? "ipv6" : "ipv4");

function hostAllowed(hostname: string, hosts: readonly string[]): boolean {
  return hosts.some((allowed) =>
    allowed.startsWith("*.") ? hostname.endsWith(allowed.slice(1)) : hostname === allowed,
  );
}

const refused = (message: string) => userError("ROUTING_URL_REFUSED", message);

/**
 * Checks a routing URL before the registry fetches it or a gateway routes to it: http(s) only,
 * no credentials, its host named in the allow-list or every address it resolves to inside an
 * allowed network, and none of them link-local or a cloud metadata address.
 */
export async function checkRoutingUrl(
  raw: string,
  allowList: AllowList,
  resolve = resolveAll,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused(`« ${raw} » n'est pas une URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw refused(`Seules les URL http et https sont acceptées (pas « ${url.protocol} »).`);
  if (url.username || url.password) throw refused("L'URL ne doit pas contenir d'identifiants.");
  const hostname = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const refusal = addressesRefusal(
    hostname,
    isIP(hostname) ? [hostname] : await resolve(hostname),
    allowList,
  );
  if (refusal) throw refused(refusal);
  return url;
}

/**
 * Why a host may not be reached at these addresses (what it resolves to now), or undefined when it
 * may. Checked when a version is published and again on every connection (see partner-fetch.ts).
 */
export function addressesRefusal(
  hostname: string,
  addresses: readonly string[],
  allowList: AllowList,
): string | undefined {
  if (addresses.length === 0) return `Le nom « ${hostname} » ne se résout pas.`;
  if (addresses.some((address) => FORBIDDEN.check(address, family(address)))) {
    return `« ${hostname} » désigne une adresse locale au lien ou de métadonnées d'hébergeur : refusée.`;
  }
  const allowed =
    hostAllowed(hostname.toLowerCase(), allowList.hosts) ||
    addresses.every((address) => allowList.networks.check(address, family(address)));
  return allowed
    ? undefined
    : `« ${hostname} » n'est pas dans la liste des hôtes autorisés (REGISTRY_ALLOWED_HOSTS).`;
}

export async function resolveAll(hostname: string): Promise<string[]> {
  try {
    return (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    return [];
  }
}
