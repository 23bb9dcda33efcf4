import { UpstreamError } from "../http.js";
import type { HydraClient } from "./hydra.js";
import type { Prices } from "./map.js";

/** What API Platform answers for a route it does not serve (405: one with no GET operation). */
const NOT_SERVED = new Set([404, 405, 410]);

/**
 * Reads the collections a repairer's optional parts come from (opening hours, closures, prices),
 * which a Rustine Libre may not serve. A route answering 404, 405 or 410 is not served: it is
 * asked no more in this run, and said once in its report. Any other wrong answer leaves that part
 * empty for that repairer, with a warning. An outage (`SourceUnavailable`) is thrown, as anywhere.
 */
export class OptionalCollections {
  private readonly notServed = new Map<string, number>();

  constructor(private readonly client: HydraClient) {}

  /** Every member of `path` filtered by `query`; null when the source gives none. */
  async read(
    path: string,
    query: Record<string, string>,
    warn: (reason: string) => void,
  ): Promise<unknown[] | null> {
    if (this.notServed.has(path)) return null;
    try {
      return await this.client.all(this.client.collectionUrl(path, query));
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      if (error.status !== undefined && NOT_SERVED.has(error.status))
        this.notServed.set(path, error.status);
      else warn(`${path} left out: ${error.message}`);
      return null;
    }
  }

  /**
   * A repairer's prices, from the route API Platform would give `RepairerIntervention`
   * (`/repairer_interventions?repairer=`), else from `/interventions?owner=` (Rustine Libre's
   * filter of interventions by the repairer's boss).
   */
  async prices(
    repairer: string,
    owner: string | null,
    warn: (reason: string) => void,
  ): Promise<Prices | null> {
    const own = await this.read("/repairer_interventions", { repairer }, warn);
    if (own) return { route: "/repairer_interventions", members: own };
    const byOwner = owner ? await this.read("/interventions", { owner }, warn) : null;
    return byOwner && { route: "/interventions", members: byOwner };
  }

  /** The routes found not served so far, each with the warning the run's report says once. */
  warnings(): [route: string, reason: string][] {
    return [...this.notServed].map(([path, status]) => [
      path,
      `not served by the source (HTTP ${status}): nothing read from it in this run`,
    ]);
  }
}
