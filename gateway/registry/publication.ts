import { and, desc, eq, gte, isNotNull, max, sql } from "drizzle-orm";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Database, DatabaseHandle } from "../../lib/database.js";
import { badUserInput, notFound, userError } from "../../lib/graphql/errors.js";
import type { Identity } from "../../lib/identity.js";
import type { SubgraphSource } from "../composition.js";
import { activeAppOperations } from "./apps.js";
import type { SchemaChange } from "./changes.js";
import { checkInWorker } from "./check-in-worker.js";
import type { RecordedOperation } from "./checks.js";
import { checkSdlSize, fetchSubgraphSdl } from "./fetch-sdl.js";
import { activeSources, REGISTRY_CHANNEL } from "./follow.js";
import type { PartnerFetch } from "./partner-fetch.js";
import { checkRoutingUrl } from "./routing-url.js";
import type { RegistrySettings } from "./settings.js";
import { operations, partners, subgraphs, subgraphVersions, supergraphs } from "./tables.js";
import type { OperationUsage } from "./usage.js";

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Subgraph and partner names: 3 to 40 characters, lower case, digits and hyphens. */
export const NAME = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

export interface PublishOutcome {
  subgraph: string;
  version: number | null;
  /** The id of the supergraph now served: gateways follow it. */
  revision: number;
  changes: SchemaChange[];
}

export interface PublishInput {
  name: string;
  url: string;
  sdl?: string | null;
  force?: boolean;
  /** The deadline of each call to it: an admin sets any, its partner may only lower the default. */
  timeoutMs?: number | null;
}

export interface PublisherOptions {
  database: DatabaseHandle;
  builtIns: readonly SubgraphSource[];
  builtInsHash: string;
  settings: RegistrySettings;
  partnerFetch: PartnerFetch;
  usage: OperationUsage;
  /** `PARTNER_TIMEOUT_MS`: the longest deadline a partner may set itself. */
  partnerTimeoutMs: number;
  /** Brings this gateway to the supergraph just stored. */
  sync: () => Promise<void>;
}

/**
 * Who may change this subgraph: an admin, or the partner owning it (or about to, when it is new).
 * Returns the owner a new subgraph gets. The hub's own subgraphs are deployed with it, never published.
 */
export async function authorize(
  db: Database,
  builtIns: readonly SubgraphSource[],
  identity: Identity,
  name: string,
): Promise<string | null> {
  if (identity.role === "anonymous")
    throw userError(
      "UNAUTHENTICATED",
      "Un jeton de partenaire ou d'administration est nécessaire.",
    );
  if (identity.role !== "admin" && identity.role !== "partner")
    throw userError(
      "FORBIDDEN",
      "Seuls les partenaires et l'administration publient des sous-graphes.",
    );
  if (!NAME.test(name))
    throw badUserInput("Nom de sous-graphe : 3 à 40 caractères, minuscules, chiffres et tirets.");
  if (builtIns.some((s) => s.name === name))
    throw userError(
      "RESERVED_SUBGRAPH",
      `« ${name} » est un sous-graphe du hub : il ne peut pas être publié ici.`,
    );
  const [existing] = await db
    .select({ owner: subgraphs.ownerPartnerId })
    .from(subgraphs)
    .where(eq(subgraphs.name, name));
  if (identity.role === "admin") return existing?.owner ?? null;
  const partnerId = identity.actsFor?.kind === "partner" ? identity.actsFor.id : undefined;
  const [partner] = partnerId
    ? await db.select().from(partners).where(eq(partners.id, partnerId))
    : [];
  if (!partner) throw userError("FORBIDDEN", "Ce jeton n'agit pour aucun partenaire inscrit.");
  if (existing && existing.owner !== partner.id)
    throw userError("FORBIDDEN", `Le sous-graphe « ${name} » appartient à un autre partenaire.`);
  return partner.id;
}

/**
 * Publication: a change (publish, rollback, remove) is authorised, checked (`checkChange`), stored
 * with the supergraph it makes, and announced to every gateway; one change at a time across gateways.
 */
export class Publisher {
  private queue: Promise<unknown> = Promise.resolve();
  /** Each partner's changes per minute, in this process: each one costs a composition. */
  private readonly perPartner: RateLimiterMemory;
  /** What the hub's own subgraphs serve: no change may break it, forced or not (composed at the first change). */
  private hubApiSdl: string | null = null;

  constructor(private readonly options: PublisherOptions) {
    this.perPartner = new RateLimiterMemory({
      points: options.settings.publicationsPerMinute,
      duration: 60,
    });
  }

  private get db() {
    return this.options.database.db;
  }

  /** Authorizes a change, then counts it against its partner's rate. */
  private async authorize(identity: Identity, name: string) {
    const owner = await authorize(this.db, this.options.builtIns, identity, name);
    if (identity.role === "partner" && identity.actsFor) {
      try {
        await this.perPartner.consume(identity.actsFor.id);
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        const retryAfterSeconds = Math.ceil(refusal.msBeforeNext / 1000);
        throw userError(
          "RATE_LIMITED",
          `Au plus ${this.options.settings.publicationsPerMinute} changements par minute ; réessayez dans ${retryAfterSeconds} s.`,
          { retryAfterSeconds },
        );
      }
    }
    return owner;
  }

  /** Publishes a version of a subgraph: from the given SDL, or fetched from `_service { sdl }` at the URL. */
  async publish(identity: Identity, input: PublishInput): Promise<PublishOutcome> {
    const { name, timeoutMs } = input;
    const { allowList, fetchLimits } = this.options.settings;
    const owner = await this.authorize(identity, name);
    if (timeoutMs != null) this.checkTimeout(identity, timeoutMs);
    const url = (await checkRoutingUrl(input.url, allowList)).toString();
    const sdl = input.sdl
      ? checkSdlSize(input.sdl, fetchLimits)
      : await fetchSubgraphSdl(new URL(url), fetchLimits, this.options.partnerFetch);
    return this.change(identity, name, { url, sdl }, input.force ?? false, async (tx, by) => {
      const [last] = await tx
        .select({ version: max(subgraphVersions.version) })
        .from(subgraphVersions)
        .where(eq(subgraphVersions.subgraphName, name));
      await tx.insert(subgraphs).values({ name, ownerPartnerId: owner }).onConflictDoNothing();
      const version = (last?.version ?? 0) + 1;
      const [row] = await tx
        .insert(subgraphVersions)
        .values({ subgraphName: name, version, routingUrl: url, sdl, publishedBy: by })
        .returning({ id: subgraphVersions.id });
      await tx
        .update(subgraphs)
        .set({
          currentVersionId: row!.id,
          updatedAt: new Date(),
          ...(timeoutMs ? { timeoutMs } : {}),
        })
        .where(eq(subgraphs.name, name));
      return { version, action: `publish ${name} v${version}` };
    });
  }

  private checkTimeout(identity: Identity, timeoutMs: number): void {
    const most = identity.role === "admin" ? 600_000 : this.options.partnerTimeoutMs;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > most)
      throw badUserInput(`Délai d'appel : de 100 à ${most} ms.`, { timeoutMs });
  }

  /** Serves an earlier version again, after the same checks as a publication. */
  async rollback(
    identity: Identity,
    input: { name: string; version: number; force?: boolean },
  ): Promise<PublishOutcome> {
    const { name, version } = input;
    await this.authorize(identity, name);
    const [target] = await this.db
      .select()
      .from(subgraphVersions)
      .where(and(eq(subgraphVersions.subgraphName, name), eq(subgraphVersions.version, version)));
    if (!target) throw notFound(`Le sous-graphe « ${name} » n'a pas de version ${version}.`);
    await checkRoutingUrl(target.routingUrl, this.options.settings.allowList);
    return this.change(
      identity,
      name,
      { url: target.routingUrl, sdl: target.sdl },
      input.force ?? false,
      async (tx) => {
        await tx
          .update(subgraphs)
          .set({ currentVersionId: target.id, updatedAt: new Date() })
          .where(eq(subgraphs.name, name));
        return { version, action: `rollback ${name} to v${version}` };
      },
    );
  }

  /** Takes a subgraph out of the supergraph; its history stays. */
  async remove(
    identity: Identity,
    input: { name: string; force?: boolean },
  ): Promise<PublishOutcome> {
    const { name } = input;
    await this.authorize(identity, name);
    const [row] = await this.db.select().from(subgraphs).where(eq(subgraphs.name, name));
    if (!row?.currentVersionId) throw notFound(`Aucun sous-graphe « ${name} » publié.`);
    return this.change(identity, name, null, input.force ?? false, async (tx) => {
      await tx
        .update(subgraphs)
        .set({ currentVersionId: null, updatedAt: new Date() })
        .where(eq(subgraphs.name, name));
      return { version: null, action: `remove ${name}` };
    });
  }

  /**
   * The checks every change goes through, then its record, one change at a time across gateways:
   * check, store, notify, serve.
   */
  private change(
    identity: Identity,
    name: string,
    next: { url: string; sdl: string } | null,
    force: boolean,
    store: (tx: Transaction, by: string) => Promise<{ version: number | null; action: string }>,
  ): Promise<PublishOutcome> {
    const run = async (): Promise<PublishOutcome> => {
      const current = await activeSources(this.db);
      // The live supergraph's API, as stored when it was composed with these same hub subgraphs.
      const [live] = await this.db
        .select({ apiSdl: supergraphs.apiSdl, builtInsHash: supergraphs.builtInsHash })
        .from(supergraphs)
        .orderBy(desc(supergraphs.id))
        .limit(1);
      const { settings } = this.options;
      const { supergraph, changes, hubApiSdl } = await checkInWorker(
        {
          builtIns: this.options.builtIns,
          served: next ? { name, ...next } : null,
          current,
          candidate: [
            ...current.filter((s) => s.name !== name),
            ...(next ? [{ name, ...next }] : []),
          ],
          liveApiSdl: live?.builtInsHash === this.options.builtInsHash ? live.apiSdl : null,
          hubApiSdl: this.hubApiSdl,
          operations: force ? null : await this.recentOperations(),
          usageDays: settings.usageDays,
          bounds: settings.shapeBounds,
        },
        settings.checkLimits,
      );
      this.hubApiSdl = hubApiSdl;
      const by = identity.subject ?? identity.role;
      const revision = await this.db.transaction(async (tx) => {
        const stored = await store(tx, by);
        const members = Object.fromEntries(
          (
            await tx
              .select({ name: subgraphs.name, versionId: subgraphs.currentVersionId })
              .from(subgraphs)
              .where(isNotNull(subgraphs.currentVersionId))
          ).map((m) => [m.name, m.versionId!]),
        );
        const [row] = await tx
          .insert(supergraphs)
          .values({
            supergraphSdl: supergraph.supergraphSdl,
            apiSdl: supergraph.apiSdl,
            builtInsHash: this.options.builtInsHash,
            members,
            action: stored.action,
            createdBy: by,
          })
          .returning({ id: supergraphs.id });
        await tx.execute(sql`select pg_notify(${REGISTRY_CHANNEL}, ${String(row!.id)})`);
        return { id: row!.id, version: stored.version };
      });
      await this.options.sync();
      return { subgraph: name, version: revision.version, revision: revision.id, changes };
    };
    // One change at a time: in this process, then across processes under the database's lock.
    const result = this.queue.then(() => this.options.database.exclusive(run));
    this.queue = result.catch(() => {});
    return result;
  }

  /**
   * The operations clients sent within `REGISTRY_USAGE_DAYS`, those seen until now included, and
   * those of the active app deployments, used or not yet.
   */
  private async recentOperations(): Promise<RecordedOperation[]> {
    await this.options.usage.flush();
    const since = new Date(Date.now() - this.options.settings.usageDays * 86_400_000);
    const deployed = await activeAppOperations(this.db);
    const sent = await this.db
      .select({
        name: operations.name,
        signature: operations.signature,
        lastSeenAt: operations.lastSeenAt,
        coordinates: operations.coordinates,
      })
      .from(operations)
      .where(gte(operations.lastSeenAt, since))
      .orderBy(desc(operations.lastSeenAt));
    return [...deployed, ...sent];
  }
}
