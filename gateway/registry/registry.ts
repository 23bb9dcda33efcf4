import { createHash } from "node:crypto";
import { and, desc, eq, gt, gte, isNotNull, max, sql } from "drizzle-orm";
import { buildSchema, type GraphQLSchema, parse, print } from "graphql";
import { wholeNumber } from "../../lib/config.js";
import type { Database, DatabaseHandle } from "../../lib/database.js";
import { badUserInput, notFound, userError } from "../../lib/graphql/errors.js";
import type { Identity } from "../../lib/identity.js";
import { createApiKey } from "../access/api-keys.js";
import {
  CompositionFailed,
  composeSupergraph,
  type SubgraphSource,
  supergraphHash,
} from "../composition.js";
import type { HubSupergraphManager } from "../supergraph-manager.js";
import {
  affects,
  hasCoordinate,
  overridesFields,
  type SchemaChange,
  schemaChanges,
} from "./changes.js";
import {
  checkSdlSize,
  type FetchLimits,
  fetchSubgraphSdl,
  probeSubgraph,
  readFetchLimits,
} from "./fetch-sdl.js";
import { type PartnerFetch, partnerFetch } from "./partner-fetch.js";
import { type AllowList, checkRoutingUrl, readAllowList } from "./routing-url.js";
import { operations, partners, subgraphs, subgraphVersions, supergraphs } from "./tables.js";
import { OperationUsage } from "./usage.js";

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** The channel gateways listen on; the payload is the new supergraph's id. */
export const REGISTRY_CHANNEL = "hub_registry";

export interface RegistrySettings {
  allowList: AllowList;
  fetchLimits: FetchLimits;
  /** `REGISTRY_POLL_MS`: how often a gateway checks for a new supergraph when no notification came. */
  pollMs: number;
  /** `REGISTRY_USAGE_DAYS`: how far back client operations count against a breaking change. */
  usageDays: number;
  /** `REGISTRY_USAGE_FLUSH_MS`: how often the operations clients sent are written to the registry. */
  usageFlushMs: number;
}

export function readRegistrySettings(env: NodeJS.ProcessEnv = process.env): RegistrySettings {
  return {
    allowList: readAllowList(env.REGISTRY_ALLOWED_HOSTS),
    fetchLimits: readFetchLimits(env),
    pollMs: wholeNumber(env, "REGISTRY_POLL_MS", 500),
    usageDays: wholeNumber(env, "REGISTRY_USAGE_DAYS", 7),
    usageFlushMs: wholeNumber(env, "REGISTRY_USAGE_FLUSH_MS", 1000),
  };
}

const NAME = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

export interface BrokenOperation {
  name: string | null;
  signature: string;
  lastSeenAt: Date;
  /** The breaking changes it would suffer, by path. */
  paths: string[];
}

export interface PublishOutcome {
  subgraph: string;
  version: number | null;
  /** The id of the supergraph now served: gateways follow it. */
  revision: number;
  changes: SchemaChange[];
}

export interface SubgraphStatus {
  name: string;
  owner: string | null;
  status: "active" | "removed";
  routingUrl: string | null;
  version: number | null;
  publishedBy: string | null;
  publishedAt: Date | null;
  health: "HEALTHY" | "UNHEALTHY" | null;
}

export interface RegistryOptions {
  database: DatabaseHandle;
  manager: HubSupergraphManager;
  /** The hub's own subgraphs, served by this gateway whatever the registry holds; no one publishes over them. */
  builtIns: readonly SubgraphSource[];
  settings?: RegistrySettings;
  log?: (line: string) => void;
}

/**
 * The partner registry: checks and stores what partners publish, and keeps this gateway's
 * supergraph at the latest composition stored, whichever gateway or command stored it.
 */
export class Registry {
  readonly usage: OperationUsage;
  /** How partners' subgraphs are reached: their addresses checked again on every connection. */
  readonly partnerFetch: PartnerFetch;
  private readonly settings: RegistrySettings;
  private readonly builtInNames: Set<string>;
  private readonly builtInsHash: string;
  /** What the hub's own subgraphs serve: no change may break it, forced or not (composed at the first change). */
  private builtInApi: GraphQLSchema | undefined;
  private revision = 0;
  private syncing: Promise<void> = Promise.resolve();
  private syncQueued = false;
  private queue: Promise<unknown> = Promise.resolve();
  private stops: (() => Promise<void> | void)[] = [];

  constructor(private readonly options: RegistryOptions) {
    this.settings = options.settings ?? readRegistrySettings();
    this.partnerFetch = partnerFetch(this.settings.allowList);
    this.builtInNames = new Set(options.builtIns.map((s) => s.name));
    this.builtInsHash = hashOf(options.builtIns);
    this.usage = new OperationUsage(options.database.db);
  }

  private get db() {
    return this.options.database.db;
  }

  isBuiltIn(name: string): boolean {
    return this.builtInNames.has(name);
  }

  /** Loads the latest supergraph, then follows new ones: notified at once, polled as a fallback. */
  async start(): Promise<void> {
    await this.sync();
    const stopListening = await this.options.database.listen(
      REGISTRY_CHANNEL,
      () => void this.sync(),
    );
    const poll = setInterval(() => void this.sync(), this.settings.pollMs);
    poll.unref();
    this.usage.start(this.settings.usageFlushMs);
    this.stops.push(
      stopListening,
      () => clearInterval(poll),
      () => this.usage.close(),
    );
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
    // One indexed statement per poll: no row, and no SDL sent, while nothing newer is stored.
    const [latest] = await this.db
      .select()
      .from(supergraphs)
      .where(gt(supergraphs.id, this.revision))
      .orderBy(desc(supergraphs.id))
      .limit(1);
    if (!latest) return;
    const revision = latest.id;
    const sources = [...this.options.builtIns, ...(await this.activeSources())];
    try {
      // Composed with the same hub subgraphs as this gateway's (the usual deployment): served as it
      // is, at once. Otherwise, the registry's subgraphs are composed with this gateway's own.
      if (latest.builtInsHash === this.builtInsHash) {
        this.options.manager.serve(sources, {
          supergraphSdl: latest.supergraphSdl,
          apiSdl: latest.apiSdl,
          hash: supergraphHash(latest.supergraphSdl),
        });
      } else {
        await this.options.manager.replaceSubgraphs(sources);
      }
      this.options.log?.(`[registry] serving supergraph ${revision}`);
    } catch (error) {
      // Only if this gateway's own subgraphs differ from the publisher's; retried at the next revision.
      if (!(error instanceof CompositionFailed)) throw error;
      this.options.log?.(
        `[registry] supergraph ${revision} does not compose with this gateway's subgraphs; still serving the previous one:\n${error.message}`,
      );
    }
    this.revision = revision;
  }

  private async activeSources(): Promise<SubgraphSource[]> {
    const rows = await this.db
      .select({ name: subgraphs.name, url: subgraphVersions.routingUrl, sdl: subgraphVersions.sdl })
      .from(subgraphs)
      .innerJoin(subgraphVersions, eq(subgraphVersions.id, subgraphs.currentVersionId))
      .orderBy(subgraphs.name);
    return rows;
  }

  /** Publishes a version of a subgraph: from the given SDL, or fetched from `_service { sdl }` at the URL. */
  async publish(
    identity: Identity,
    input: { name: string; url: string; sdl?: string | null; force?: boolean },
  ): Promise<PublishOutcome> {
    const { name } = input;
    const owner = await this.authorize(identity, name);
    const url = (await checkRoutingUrl(input.url, this.settings.allowList)).toString();
    const sdl = input.sdl
      ? checkSdlSize(input.sdl, this.settings.fetchLimits)
      : await fetchSubgraphSdl(new URL(url), this.settings.fetchLimits, this.partnerFetch);
    checkTakesNothingOver(sdl);
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
        .set({ currentVersionId: row!.id, updatedAt: new Date() })
        .where(eq(subgraphs.name, name));
      return { version, action: `publish ${name} v${version}` };
    });
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
    await checkRoutingUrl(target.routingUrl, this.settings.allowList);
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
   * Who may change this subgraph: an admin, or the partner owning it (or about to, when it is new).
   * Returns the owner a new subgraph gets. The hub's own subgraphs are deployed with it, never published.
   */
  private async authorize(identity: Identity, name: string): Promise<string | null> {
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
    if (this.isBuiltIn(name))
      throw userError(
        "RESERVED_SUBGRAPH",
        `« ${name} » est un sous-graphe du hub : il ne peut pas être publié ici.`,
      );
    const [existing] = await this.db
      .select({ owner: subgraphs.ownerPartnerId })
      .from(subgraphs)
      .where(eq(subgraphs.name, name));
    if (identity.role === "admin") return existing?.owner ?? null;
    const partnerId = identity.actsFor?.kind === "partner" ? identity.actsFor.id : undefined;
    const [partner] = partnerId
      ? await this.db.select().from(partners).where(eq(partners.id, partnerId))
      : [];
    if (!partner) throw userError("FORBIDDEN", "Ce jeton n'agit pour aucun partenaire inscrit.");
    if (existing && existing.owner !== partner.id)
      throw userError("FORBIDDEN", `Le sous-graphe « ${name} » appartient à un autre partenaire.`);
    return partner.id;
  }

  /**
   * The checks every change goes through, then its record, one change at a time across gateways:
   * compose, diff, check against client operations, store, notify, serve.
   */
  private change(
    identity: Identity,
    name: string,
    next: { url: string; sdl: string } | null,
    force: boolean,
    store: (tx: Transaction, by: string) => Promise<{ version: number | null; action: string }>,
  ): Promise<PublishOutcome> {
    const run = async (): Promise<PublishOutcome> => {
      const current = await this.activeSources();
      const candidate = [
        ...current.filter((s) => s.name !== name),
        ...(next ? [{ name, ...next }] : []),
      ];
      // The live supergraph's API, as stored when it was composed with these same hub subgraphs.
      const [live] = await this.db
        .select({ apiSdl: supergraphs.apiSdl, builtInsHash: supergraphs.builtInsHash })
        .from(supergraphs)
        .orderBy(desc(supergraphs.id))
        .limit(1);
      const beforeApi =
        live?.builtInsHash === this.builtInsHash
          ? live.apiSdl
          : composeSupergraph([...this.options.builtIns, ...current]).apiSdl;
      let after: ReturnType<typeof composeSupergraph>;
      try {
        after = composeSupergraph([...this.options.builtIns, ...candidate]);
      } catch (error) {
        if (!(error instanceof CompositionFailed)) throw error;
        throw userError(
          "COMPOSITION_FAILED",
          `La composition échoue : ${error.issues.length} erreur(s) ; le graphe servi ne change pas.`,
          { compositionErrors: error.issues },
        );
      }
      const changes = await schemaChanges(beforeApi, after.apiSdl);
      const breaking = changes.filter((change) => change.criticality === "BREAKING");
      this.builtInApi ??= buildSchema(composeSupergraph(this.options.builtIns).apiSdl);
      const hub = this.builtInApi;
      const onHub = breaking.filter((change) => change.path && hasCoordinate(hub, change.path));
      if (onHub.length > 0) {
        throw userError(
          "HUB_SCHEMA_PROTECTED",
          `Ce changement casserait des champs des sous-graphes du hub : ${onHub.map((c) => c.path).join(", ")}.`,
          { changes: onHub },
        );
      }
      if (breaking.length > 0 && !force) {
        const broken = await this.brokenOperations(breaking);
        if (broken.length > 0) {
          throw userError(
            "BREAKING_CHANGE",
            `Changement cassant pour ${broken.length} opération(s) envoyée(s) ces ${this.settings.usageDays} derniers jours : ${broken.map((o) => o.name ?? o.signature.slice(0, 12)).join(", ")}. Publiez avec force pour passer outre.`,
            { changes: breaking, operations: broken },
          );
        }
      }
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
            supergraphSdl: after.supergraphSdl,
            apiSdl: after.apiSdl,
            builtInsHash: this.builtInsHash,
            members,
            action: stored.action,
            createdBy: by,
          })
          .returning({ id: supergraphs.id });
        await tx.execute(sql`select pg_notify(${REGISTRY_CHANNEL}, ${String(row!.id)})`);
        return { id: row!.id, version: stored.version };
      });
      await this.sync();
      return { subgraph: name, version: revision.version, revision: revision.id, changes };
    };
    // One change at a time: in this process, then across processes under the database's lock.
    const result = this.queue.then(() => this.options.database.exclusive(run));
    this.queue = result.catch(() => {});
    return result;
  }

  private async brokenOperations(breaking: SchemaChange[]): Promise<BrokenOperation[]> {
    await this.usage.flush();
    const since = new Date(Date.now() - this.settings.usageDays * 86_400_000);
    const recent = await this.db
      .select()
      .from(operations)
      .where(gte(operations.lastSeenAt, since))
      .orderBy(desc(operations.lastSeenAt));
    const broken: BrokenOperation[] = [];
    for (const operation of recent) {
      const coordinates = new Set(operation.coordinates);
      const paths = breaking
        .filter((change) => affects(change, coordinates))
        .map((change) => change.path!);
      if (paths.length > 0)
        broken.push({
          name: operation.name,
          signature: operation.signature,
          lastSeenAt: operation.lastSeenAt,
          paths,
        });
    }
    return broken;
  }

  /** The registry's subgraphs (a partner sees its own), each probed to tell whether it answers now. */
  async list(identity: Identity): Promise<SubgraphStatus[]> {
    const partnerId =
      identity.role === "admin"
        ? undefined
        : identity.role === "partner" && identity.actsFor?.kind === "partner"
          ? identity.actsFor.id
          : null;
    if (partnerId === null) throw userError("FORBIDDEN", "Ce jeton n'agit pour aucun partenaire.");
    const rows = await this.db
      .select({
        name: subgraphs.name,
        owner: subgraphs.ownerPartnerId,
        routingUrl: subgraphVersions.routingUrl,
        version: subgraphVersions.version,
        publishedBy: subgraphVersions.publishedBy,
        publishedAt: subgraphVersions.publishedAt,
      })
      .from(subgraphs)
      .leftJoin(subgraphVersions, eq(subgraphVersions.id, subgraphs.currentVersionId))
      .where(partnerId ? eq(subgraphs.ownerPartnerId, partnerId) : undefined)
      .orderBy(subgraphs.name);
    return Promise.all(
      rows.map(async (row) => ({
        ...row,
        // Active while it has a current version: removing it is what clears that.
        status: row.routingUrl ? ("active" as const) : ("removed" as const),
        health: row.routingUrl
          ? await probeSubgraph(row.routingUrl, this.settings.fetchLimits, this.partnerFetch)
          : null,
      })),
    );
  }

  /** Every version of a subgraph, newest first. */
  async versions(identity: Identity, name: string) {
    await this.authorize(identity, name);
    return this.db
      .select()
      .from(subgraphVersions)
      .where(eq(subgraphVersions.subgraphName, name))
      .orderBy(desc(subgraphVersions.version));
  }

  /** Registers a partner and issues its first token (shown once; only its hash is kept). */
  async createPartner(
    identity: Identity,
    input: { id: string; name: string },
  ): Promise<{ id: string; name: string; token: string }> {
    if (identity.role !== "admin")
      throw userError("FORBIDDEN", "Seule l'administration inscrit des partenaires.");
    if (!NAME.test(input.id))
      throw badUserInput(
        "Identifiant de partenaire : 3 à 40 caractères, minuscules, chiffres et tirets.",
      );
    const inserted = await this.db.insert(partners).values(input).onConflictDoNothing().returning();
    if (inserted.length === 0)
      throw userError("ALREADY_EXISTS", `Le partenaire « ${input.id} » existe déjà.`);
    const { key } = await createApiKey(this.db, {
      name: `partenaire ${input.name}`,
      role: "partner",
      actsFor: { kind: "partner", id: input.id },
    });
    return { ...input, token: key };
  }

  listPartners(identity: Identity) {
    if (identity.role !== "admin")
      throw userError("FORBIDDEN", "Seule l'administration voit les partenaires.");
    return this.db.select().from(partners).orderBy(partners.id);
  }

  /** The composed supergraphs, newest first. */
  history(identity: Identity, limit: number) {
    if (identity.role !== "admin")
      throw userError("FORBIDDEN", "Seule l'administration voit l'historique.");
    return this.db
      .select({
        id: supergraphs.id,
        action: supergraphs.action,
        createdBy: supergraphs.createdBy,
        createdAt: supergraphs.createdAt,
        members: supergraphs.members,
      })
      .from(supergraphs)
      .orderBy(desc(supergraphs.id))
      .limit(limit);
  }
}

/** Identifies a set of subgraphs by name, URL and schema (comments and layout aside). */
function hashOf(sources: readonly SubgraphSource[]): string {
  const hash = createHash("sha256");
  for (const source of [...sources].sort((a, b) => a.name.localeCompare(b.name)))
    hash.update(`${source.name}\n${source.url}\n${print(parse(source.sdl))}\n`);
  return hash.digest("hex");
}

function checkTakesNothingOver(sdl: string): void {
  let overrides: boolean;
  try {
    overrides = overridesFields(sdl);
  } catch (error) {
    throw badUserInput(`SDL illisible : ${error instanceof Error ? error.message : String(error)}`);
  }
  if (overrides)
    throw userError(
      "HUB_SCHEMA_PROTECTED",
      "@override est refusé : un sous-graphe publié ajoute des champs, il ne reprend pas ceux des autres.",
    );
}
