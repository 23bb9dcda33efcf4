import type { LookupAddress, LookupOptions } from "node:dns";
import { isIP } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";
import { type AllowList, addressesRefusal, resolveAll } from "./routing-url.js";

/**
 * How a partner's subgraph is called: the `fetch` API (with the bodies @apollo/gateway sends),
 * bound to connections the allow-list guards.
 */
export type PartnerFetch = (
  url: string | URL,
  init?: Omit<RequestInit, "body"> & { body?: string | Uint8Array | null },
) => Promise<PartnerResponse>;
export type PartnerResponse = Awaited<ReturnType<typeof undiciFetch>>;

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * The fetch for partners' subgraphs: their routing URL was checked against `REGISTRY_ALLOWED_HOSTS`
 * when it was published, but a name may resolve elsewhere later (DNS rebinding, towards the hub's
 * own subgraphs or a cloud's metadata). Here every connection resolves the name itself, checks
 * every address again, and connects only to the addresses it checked.
 */
export function partnerFetch(
  allowList: AllowList,
  resolve: (hostname: string) => Promise<string[]> = resolveAll,
): PartnerFetch {
  const lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    void checkedAddresses(hostname, options).then(
      (addresses) =>
        options.all
          ? callback(
              null,
              addresses.map((address) => ({ address, family: isIP(address) })),
            )
          : callback(null, addresses[0]!, isIP(addresses[0]!)),
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
  const checkedAddresses = async (hostname: string, options: LookupOptions): Promise<string[]> => {
    const addresses = await resolve(hostname);
    const refusal = addressesRefusal(hostname, addresses, allowList);
    if (refusal) throw Object.assign(new Error(refusal), { code: "ROUTING_URL_REFUSED" });
    const wanted = options.family
      ? addresses.filter((address) => isIP(address) === options.family)
      : addresses;
    if (wanted.length === 0)
      throw Object.assign(new Error(`« ${hostname} » has no IPv${options.family} address`), {
        code: "ENOTFOUND",
      });
    return wanted;
  };
  const dispatcher = new Agent({ connect: { lookup } });
  return (url, init) =>
    undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher });
}
