import { createHash } from "node:crypto";
import { desc, eq, gt } from "drizzle-orm";
import { parse, print } from "graphql";
import type { Database, DatabaseHandle } from "../../lib/database.js";
import { CompositionFailed, type SubgraphSource, supergraphHash } from "../composition.js";
import type { SubgraphGuard } from "../resilience/guard.js";
import type { HubSupergraphManager } from "../supergraph-manager.js";
import { subgraphs, subgraphVersions, supergraphs } from "./tables.js";

/** The channel gateways listen on; the payload is the new supergraph's id. */
export const REGISTRY_CHANNEL = "hub_registry";

/** Identifies a set of subgraphs by name, URL and schema (comments and layout aside). */
export function hashOf(sources: readonly SubgraphSource[]): string {
  const hash = createHash("sha256");
  for (const source of [...sources].sort((a, b) => a.name.localeCompare(b.name)))
    hash.update(`${source.name}\n${source.url}\n${print(parse(source.sdl))}\n`);
  return hash.digest("hex");
}

/** The registry's subgraphs served now, each at its current version, with its deadline if set. */
export function activeSources(
  db: Database,
): Promise<(SubgraphSource & { timeoutMs: number | null })[]> {
  return db
    .select({
      name: subgraphs.name,
      url: subgraphVersions.routingUrl,
      sdl: subgraphVersions.sdl,
      timeoutMs: subgraphs.timeoutMs,
    })
    .from(subgraphs)
    .innerJoin(subgraphVersions, eq(subgraphVersions.id, subgraphs.currentVersionId))
    .orderBy(subgraphs.name);
}

export interface FollowerOptions {
  database: DatabaseHandle;
  manager: HubSupergraphManager;
  builtIns: readonly SubgraphSource[];
  /** `hashOf(builtIns)`, which the supergraphs stored by a gateway like this one carry. */
  builtInsHash: string;
  /** Told each subgraph's deadline set in the registry. */
  guard: SubgraphGuard;
  pollMs: number;
  /** Also run at each poll: what else a gateway follows (app deployments), polled at the same ticks. */
  onPoll?: () => void;
  log?: (line: string) => void;
}

/**
 * Keeps this gateway's supergraph at the latest composition stored in the registry, whichever
 * gateway or command stored it: notified at once, polled as a fallback.
 */
export class SupergraphFollower {
  private revision = 0;
  private syncing: Promise<void> = Promise.resolve();
  private syncQueued = false;
  private stops: (() => Promise<void> | void)[] = [];

  constructor(private readonly options: FollowerOptions) {}

  /** Loads the latest supergraph, then follows new ones. */
  async start(): Promise<void> {
    await this.sync();
    const stopListening = await this.options.database.listen(
      REGISTRY_CHANNEL,
      () => void this.sync(),
    );
    const poll = setInterval(() => {
      void this.sync();
      this.options.onPoll?.();
    }, this.options.pollMs);
    poll.unref();
    this.stops.push(stopListening, () => clearInterval(poll));
  }

  async close(): Promise<void> {
    for (const stop of this.stops.splice(0)) await stop();
    await this.syncing;
  }

  /**
   * Serves the latest supergraph of the registry if this gateway does not yet. One at a time, and
   * at most one waiting: it reads the latest when it starts, so later calls can share it.
   */
  sync(): Promise<void> {
    if (this.syncQueued) return this.syncing;
    this.syncQueued = true;
    this.syncing = this.syncing.then(() => {
      this.syncQueued = false;
      return this.applyLatest().catch((error: unknown) =>
        this.options.log?.(
          `[registry] supergraph not updated: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    });
    return this.syncing;
  }

  private async applyLatest(): Promise<void> {
    const { database, manager, builtIns, log } = this.options;
    // One indexed statement per poll: no row, and no SDL sent, while nothing newer is stored.
    const [latest] = await database.db
      .select()
      .from(supergraphs)
      .where(gt(supergraphs.id, this.revision))
      .orderBy(desc(supergraphs.id))
      .limit(1);
    if (!latest) return;
    const revision = latest.id;
    const active = await activeSources(database.db);
    const sources = [...builtIns, ...active];
    this.options.guard.setTimeouts(
      new Map(active.flatMap((s) => (s.timeoutMs ? [[s.name, s.timeoutMs] as const] : []))),
    );
    try {
      // Composed with the same hub subgraphs as this gateway's (the usual deployment): served as it
      // is, at once. Otherwise, the registry's subgraphs are composed with this gateway's own.
      if (latest.builtInsHash === this.options.builtInsHash) {
        manager.serve(sources, {
          supergraphSdl: latest.supergraphSdl,
          apiSdl: latest.apiSdl,
          hash: supergraphHash(latest.supergraphSdl),
        });
      } else {
        await manager.replaceSubgraphs(sources);
      }
      log?.(`[registry] serving supergraph ${revision}`);
    } catch (error) {
      // Only if this gateway's own subgraphs differ from the publisher's; retried at the next revision.
      if (!(error instanceof CompositionFailed)) throw error;
      log?.(
        `[registry] supergraph ${revision} does not compose with this gateway's subgraphs; still serving the previous one:\n${error.message}`,
      );
    }
    this.revision = revision;
  }
}
