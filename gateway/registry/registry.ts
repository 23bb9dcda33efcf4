import { desc, eq, inArray, lte } from "drizzle-orm";
import { fetch as undiciFetch } from "undici";
import type { DatabaseHandle } from "../../lib/database.js";
import { badUserInput, userError } from "../../lib/graphql/errors.js";
import {
  ACTS_FOR_KINDS,
  type ActsForKind,
  type Identity,
  identitySecret,
  ROLES,
  type Role,
  signServiceToken,
} from "../../lib/identity.js";
import { createApiKey, listApiKeys, revokeApiKey } from "../access/api-keys.js";
import type { SubgraphSource } from "../composition.js";
import type { BreakerState } from "../resilience/breaker.js";
import type { SubgraphGuard } from "../resilience/guard.js";
import type { HubSupergraphManager } from "../supergraph-manager.js";
import { AppDocuments, AppFollower, AppRegistry } from "./apps.js";
import { type SchemaChange, schemaChanges } from "./changes.js";
import { probeSubgraph } from "./fetch-sdl.js";
import { hashOf, SupergraphFollower } from "./follow.js";
import { type PartnerFetch, partnerFetch } from "./partner-fetch.js";
import {
  authorize,
  NAME,
  Publisher,
  type PublishInput,
  type PublishOutcome,
  type SubgraphCheck,
} from "./publication.js";
import { type RegistrySettings, readRegistrySettings } from "./settings.js";
import { partners, subgraphs, subgraphVersions, supergraphs } from "./tables.js";
import { OperationUsage } from "./usage.js";
import { UsageReport } from "./usage-report.js";

export interface SchemaChangelogEntry {
  revision: number;
  publishedAt: Date;
  publisher: string | null;
  subgraph: string;
  version: number | null;
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
  /** This gateway process's circuit breaker for it. */
  breaker: BreakerState;
  /** The deadline of each call to it, in milliseconds. */
  timeoutMs: number;
  /** One of the hub's own subgraphs: in no registry table, nobody publishes over it. */
  builtIn: boolean;
}

/**
 * How the hub's own subgraphs are probed: no partner's, so not through the partners' allow-list,
 * and with a service token of the hub's secret, since they answer no one else.
 */
const hubFetch: PartnerFetch = async (url, init) => {
  const token = await signServiceToken("registry-probe", identitySecret(), "1m");
  return undiciFetch(url, {
    ...(init as Parameters<typeof undiciFetch>[1]),
    headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${token}` },
  });
};

export interface RegistryOptions {
  database: DatabaseHandle;
  manager: HubSupergraphManager;
  /** The hub's own subgraphs, served by this gateway whatever the registry holds; no one publishes over them. */
  builtIns: readonly SubgraphSource[];
  /** Bounds the calls to subgraphs: the registry sets partners' deadlines and reads breakers. */
  guard: SubgraphGuard;
  settings?: RegistrySettings;
  log?: (line: string) => void;
}

/**
 * The partner registry, as a gateway runs it: it follows the latest supergraph stored
 * (`SupergraphFollower`), publishes partners' changes (`Publisher`, through the checks of
 * `checks.ts`), records the operations clients send, and answers the admin API's reads.
 */
export class Registry {
  readonly usage: OperationUsage;
  /** Field usage and unused fields, for the admin API. */
  readonly report: UsageReport;
  /** App deployments: publication (admin API) and the documents this gateway serves. */
  readonly apps: AppRegistry;
  readonly appDocuments = new AppDocuments();
  private readonly appFollower: AppFollower;
  /** How partners' subgraphs are reached: their addresses checked again on every connection. */
  readonly partnerFetch: PartnerFetch;
  private readonly settings: RegistrySettings;
  private readonly builtInNames: Set<string>;
  private readonly follower: SupergraphFollower;
  private readonly publisher: Publisher;

  constructor(private readonly options: RegistryOptions) {
    this.settings = options.settings ?? readRegistrySettings();
    this.partnerFetch = partnerFetch(this.settings.allowList);
    this.builtInNames = new Set(options.builtIns.map((s) => s.name));
    this.usage = new OperationUsage(options.database.db, (document) =>
      this.appDocuments.appOf(document),
    );
    this.report = new UsageReport(options.database.db, options.builtIns);
    this.appFollower = new AppFollower(options.database, this.appDocuments, options.log);
    this.apps = new AppRegistry(
      options.database,
      () => options.manager.supergraph.apiSdl,
      this.appFollower,
    );
    const builtInsHash = hashOf(options.builtIns);
    this.follower = new SupergraphFollower({
      database: options.database,
      manager: options.manager,
      builtIns: options.builtIns,
      builtInsHash,
      guard: options.guard,
      pollMs: this.settings.pollMs,
      onPoll: () => void this.appFollower.sync(),
      ...(options.log ? { log: options.log } : {}),
    });
    this.publisher = new Publisher({
      database: options.database,
      builtIns: options.builtIns,
      builtInsHash,
      settings: this.settings,
      partnerFetch: this.partnerFetch,
      usage: this.usage,
      partnerTimeoutMs: options.guard.partnerTimeoutMs,
      sync: () => this.follower.sync(),
    });
  }

  private get db() {
    return this.options.database.db;
  }

  isBuiltIn(name: string): boolean {
    return this.builtInNames.has(name);
  }

  /** Loads the latest supergraph, then follows new ones; records client operations. */
  async start(): Promise<void> {
    await this.follower.start();
    await this.appFollower.start();
    this.usage.start(this.settings.usageFlushMs);
  }

  async close(): Promise<void> {
    await this.follower.close();
    await this.appFollower.close();
    await this.usage.close();
  }

  /** Serves the latest supergraph of the registry if this gateway does not yet. */
  sync(): Promise<void> {
    return this.follower.sync();
  }

  publish(identity: Identity, input: PublishInput): Promise<PublishOutcome> {
    return this.publisher.publish(identity, input);
  }

  /** Every check `publish` runs, nothing stored (`hub subgraph check`). */
  check(
    identity: Identity,
    input: { name: string; url?: string | null; sdl?: string | null },
  ): Promise<SubgraphCheck> {
    return this.publisher.check(identity, input);
  }

  rollback(
    identity: Identity,
    input: { name: string; version: number; force?: boolean },
  ): Promise<PublishOutcome> {
    return this.publisher.rollback(identity, input);
  }

  remove(identity: Identity, input: { name: string; force?: boolean }): Promise<PublishOutcome> {
    return this.publisher.remove(identity, input);
  }

  /**
   * The registry's subgraphs (a partner sees its own), after the hub's own ones when asked, each
   * probed to tell whether it answers now.
   */
  async list(identity: Identity, { includeHub = false } = {}): Promise<SubgraphStatus[]> {
    const partnerId = this.partnerScope(identity);
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
    const hub = includeHub
      ? this.options.builtIns.map(({ name, url }) => ({
          name,
          owner: null,
          routingUrl: url,
          version: null,
          publishedBy: null,
          publishedAt: null,
          builtIn: true,
        }))
      : [];
    return Promise.all(
      [...hub, ...rows.map((row) => ({ ...row, builtIn: false }))].map(async (row) => ({
        ...row,
        // Active while it has a current version: removing it is what clears that.
        status: row.routingUrl ? ("active" as const) : ("removed" as const),
        health: row.routingUrl
          ? await probeSubgraph(
              row.routingUrl,
              this.settings.fetchLimits,
              row.builtIn ? hubFetch : this.partnerFetch,
            )
          : null,
        breaker: this.options.guard.breakerState(row.name),
        timeoutMs: this.options.guard.timeoutOf(row.name),
      })),
    );
  }

  /** Whose subgraphs an identity sees: undefined for all of them (admin), a partner's id, or refused. */
  private partnerScope(identity: Identity): string | undefined {
    if (identity.role === "admin") return undefined;
    if (identity.role === "partner" && identity.actsFor?.kind === "partner")
      return identity.actsFor.id;
    throw userError("FORBIDDEN", "Ce jeton n'agit pour aucun partenaire.");
  }

  /** Every version of a subgraph, newest first, the one served now marked `live`. */
  async versions(identity: Identity, name: string) {
    await authorize(this.db, this.options.builtIns, identity, name);
    const rows = await this.db
      .select({ row: subgraphVersions, currentVersionId: subgraphs.currentVersionId })
      .from(subgraphVersions)
      .innerJoin(subgraphs, eq(subgraphs.name, subgraphVersions.subgraphName))
      .where(eq(subgraphVersions.subgraphName, name))
      .orderBy(desc(subgraphVersions.version));
    return rows.map(({ row, currentVersionId }) => ({
      ...row,
      live: row.id === currentVersionId,
    }));
  }

  /**
   * The changelog of the public schema: each supergraph that went live, newest first, with who
   * made it, for which subgraph, and what clients saw change. A partner sees its own subgraphs'.
   */
  async changelog(identity: Identity, last: number): Promise<SchemaChangelogEntry[]> {
    const partnerId = this.partnerScope(identity);
    const own = partnerId
      ? (
          await this.db
            .select({ name: subgraphs.name })
            .from(subgraphs)
            .where(eq(subgraphs.ownerPartnerId, partnerId))
        ).map((s) => s.name)
      : undefined;
    if (own?.length === 0) return [];
    const rows = await this.db
      .select({
        revision: supergraphs.id,
        publishedAt: supergraphs.createdAt,
        publisher: supergraphs.publisher,
        subgraph: supergraphs.subgraph,
        version: supergraphs.subgraphVersion,
        changes: supergraphs.changes,
      })
      .from(supergraphs)
      .where(own ? inArray(supergraphs.subgraph, own) : undefined)
      .orderBy(desc(supergraphs.id))
      .limit(last);
    return Promise.all(
      rows.map(async (row) => ({
        ...row,
        subgraph: row.subgraph ?? "?",
        changes: row.changes ?? (await this.changesOf(row.revision)),
      })),
    );
  }

  /** What a supergraph stored before the changelog changed, diffed with the one before it (kept). */
  private readonly diffed = new Map<number, SchemaChange[]>();
  private async changesOf(revision: number): Promise<SchemaChange[]> {
    const known = this.diffed.get(revision);
    if (known) return known;
    const [after, before] = await this.db
      .select({ id: supergraphs.id, apiSdl: supergraphs.apiSdl })
      .from(supergraphs)
      .where(lte(supergraphs.id, revision))
      .orderBy(desc(supergraphs.id))
      .limit(2);
    const changes =
      after && before && after.id === revision
        ? await schemaChanges(before.apiSdl, after.apiSdl)
        : [];
    this.diffed.set(revision, changes);
    return changes;
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

  /** The API keys (`hub key list` through a running hub): the administration's alone. */
  async listKeys(identity: Identity) {
    this.onlyAdmin(identity);
    return (await listApiKeys(this.db)).map(({ actsForKind, actsForId, ...key }) => ({
      ...key,
      actsFor: actsForKind && actsForId ? `${actsForKind}:${actsForId}` : null,
    }));
  }

  /** Issues an API key (`hub key create` through a running hub), shown once. */
  async createKey(
    identity: Identity,
    input: { name: string; role: string; actsFor: string | null },
  ) {
    this.onlyAdmin(identity);
    const [kind, id] = input.actsFor?.split(":", 2) ?? [];
    if (input.actsFor && (!kind || !id)) throw badUserInput("actsFor : KIND:ID attendu.");
    if (!(ROLES as readonly string[]).includes(input.role) || input.role === "anonymous")
      throw badUserInput(`Rôle inconnu : ${ROLES.slice(1).join(", ")}.`);
    if (kind && !(ACTS_FOR_KINDS as readonly string[]).includes(kind))
      throw badUserInput(`Genre inconnu : ${ACTS_FOR_KINDS.join(", ")}.`);
    const created = await createApiKey(this.db, {
      name: input.name,
      role: input.role as Exclude<Role, "anonymous">,
      actsFor: kind && id ? { kind: kind as ActsForKind, id } : null,
    });
    const [key] = (await this.listKeys(identity)).filter((k) => k.id === created.id);
    return { ...key!, key: created.key };
  }

  /** Revokes a key at once (`hub key revoke` through a running hub). */
  revokeKey(identity: Identity, id: string): Promise<boolean> {
    this.onlyAdmin(identity);
    return revokeApiKey(this.db, id);
  }

  private onlyAdmin(identity: Identity): void {
    if (identity.role !== "admin")
      throw userError("FORBIDDEN", "Seule l'administration gère les clés d'API.");
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
