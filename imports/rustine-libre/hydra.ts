import { type FetchOptions, fetchJson, UpstreamError } from "../http.js";

/**
 * One page of an API Platform collection in JSON-LD: `hydra:member`, `hydra:totalItems` and
 * `hydra:view` with `hydra:next` (API Platform 4 may drop the `hydra:` prefix: both are read).
 */
export interface HydraPage {
  url: string;
  members: unknown[];
  totalItems: number | null;
  /** The next page's absolute URL; null on the last page. */
  next: string | null;
}

const field = (body: Record<string, unknown>, name: string) => body[`hydra:${name}`] ?? body[name];

export function parseHydraPage(body: unknown, url: string): HydraPage {
  if (typeof body !== "object" || body === null)
    throw new UpstreamError(`GET ${url}: not a JSON-LD collection`);
  const record = body as Record<string, unknown>;
  const members = field(record, "member");
  if (!Array.isArray(members)) throw new UpstreamError(`GET ${url}: no hydra:member list`);
  const total = field(record, "totalItems");
  const view = field(record, "view");
  const nextIri =
    typeof view === "object" && view !== null
      ? field(view as Record<string, unknown>, "next")
      : undefined;
  const next = typeof nextIri === "string" ? new URL(nextIri, url).toString() : null;
  return { url, members, totalItems: typeof total === "number" ? total : null, next };
}

export class HydraClient {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchOptions: FetchOptions,
    private readonly itemsPerPage: number,
  ) {}

  /** The first page of a collection, e.g. `collectionUrl("/repairers", { enabled: "true" })`. */
  collectionUrl(path: string, query: Record<string, string> = {}): string {
    const url = new URL(this.baseUrl.replace(/\/+$/, "") + path);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    url.searchParams.set("itemsPerPage", String(this.itemsPerPage));
    return url.toString();
  }

  resourceUrl(path: string): string {
    return this.baseUrl.replace(/\/+$/, "") + path;
  }

  /**
   * One page of a collection. `read` holds the pages of that collection read so far: a next page
   * among them ends it, since a server whose pages link in a loop would keep an import going forever.
   */
  async page(url: string, read: Set<string>): Promise<HydraPage> {
    read.add(url);
    const page = parseHydraPage(await fetchJson(url, this.fetchOptions), url);
    return page.next !== null && read.has(page.next) ? { ...page, next: null } : page;
  }

  async get(url: string): Promise<unknown> {
    return fetchJson(url, this.fetchOptions);
  }

  /** Every member of a small collection (a repairer's opening hours), all pages followed. */
  async all(url: string): Promise<unknown[]> {
    const members: unknown[] = [];
    const read = new Set<string>();
    for (let next: string | null = url; next; ) {
      const page: HydraPage = await this.page(next, read);
      members.push(...page.members);
      next = page.next;
    }
    return members;
  }
}
