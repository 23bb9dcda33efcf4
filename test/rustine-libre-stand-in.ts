import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for Rustine Libre's API as its entities describe it (API Platform 3, JSON-LD): Hydra
 * collections paged by `page` and `itemsPerPage`, a repairer's detail at `/repairers/{id}`, and
 * a 404 for anything it does not serve.
 */
export type Json = Record<string, unknown>;

export const iri = (type: string, id: number) => `/${type}/${id}`;

/** One page of `members`, as API Platform pages a collection. */
export function collection(path: string, members: Json[], url: URL): Json {
  const perPage = Number(url.searchParams.get("itemsPerPage") ?? 30);
  const page = Number(url.searchParams.get("page") ?? 1);
  const view: Json = { "@id": `${path}${url.search}`, "@type": "hydra:PartialCollectionView" };
  if (page * perPage < members.length) {
    const next = new URLSearchParams(url.searchParams);
    next.set("page", String(page + 1));
    view["hydra:next"] = `${path}?${next.toString()}`;
  }
  return {
    "@context": `/contexts/${path}`,
    "@id": path,
    "@type": "hydra:Collection",
    "hydra:totalItems": members.length,
    "hydra:member": members.slice((page - 1) * perPage, page * perPage),
    "hydra:view": view,
  };
}

export interface StandIn {
  /** The API's base URL, `http://127.0.0.1:<port>/api`. */
  url: string;
  /** Every request's path and query, in order. */
  requests: string[];
  close(): void;
}

/**
 * Serves what `answer` gives for a request's URL (404 when null). `fault`, asked first, may answer
 * instead (an error status, a connection cut) and return true.
 */
export async function startStandIn(
  answer: (url: URL) => Json | null,
  fault: (url: URL, res: ServerResponse) => boolean = () => false,
): Promise<StandIn> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push(`${url.pathname}${url.search}`);
    if (fault(url, res)) return;
    const body = answer(url);
    res
      .writeHead(body ? 200 : 404, { "content-type": "application/ld+json" })
      .end(JSON.stringify(body ?? { "hydra:description": "Not Found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    requests,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
