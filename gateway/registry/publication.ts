import { and, desc, eq, gte, isNotNull, max, sql } from "drizzle-orm";
import { GraphQLError } from "graphql";
import type { Database, DatabaseHandle } from "../../lib/database.js";
import { badUserInput, notFound, userError } from "../../lib/graphql/errors.js";
import type { Identity } from "../../lib/identity.js";
import type { CompositionIssue, SubgraphSource } from "../composition.js";
import { activeAppOperations } from "./apps.js";
import { PartnerChangeRate } from "./change-rate.js";
import type { SchemaChange } from "./changes.js";
import { checkInWorker } from "./check-in-worker.js";
import {
  type BrokenOperation,
  type CheckedChange,
  type RecordedOperation,
  refusalError,
  type Unchanged,
} from "./checks.js";
import { checkSdlSize, fetchSubgraphSdl } from "./fetch-sdl.js";
import { activeSources, REGISTRY_CHANNEL } from "./follow.js";
import type { PartnerFetch } from "./partner-fetch.js";
import { checkRoutingUrl } from "./routing-url.js";
import type { RegistrySettings } from "./settings.js";
import {
  operations,
  operationUsage,
  partners,
  subgraphs,
  subgraphVersions,
  supergraphs,
} from "./tables.js";
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
  /** An identical re-publication (same SDL, URL and deadline): nothing stored, nothing composed. */
  unchanged: boolean;
}

/** An operation clients sent that a change would break, with the coordinates it would lose. */
export interface AffectedOperation {
  hash: string;
  name: string | null;
  clientName: string | null;
  clientVersion: string | null;
  coordinates: string[];
}

/** What a publication would answer, without storing anything (`hub subgraph check`). */
export interface SubgraphCheck {
  accepted: boolean;
  /** The code a publication would be refused with; null when accepted. */
  code: string | null;
  message: string | null;
  compositionErrors: CompositionIssue[];
  changes: SchemaChange[];
  affectedOperations: AffectedOperation[];
}

/** The version of a subgraph served now, and its SDL. */
interface ServedVersion {
  version: number;
  sdl: string;
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

/** Who made a change, as the registry shows it: the partner's id, or `admin`. */
export function publisherOf(identity: Identity): string {
  if (identity.role === "admin") return "admin";
  if (identity.actsFor?.kind === "partner") return identity.actsFor.id;
  return identity.subject ?? identity.role;
}

/**
 * Publication: a change (publish, rollback, remove) is authorised, checked (`checkChange`), stored
 * with the supergraph it makes, and announced to every gateway; one change at a time across gateways.
 */
export class Publisher {
  private queue: Promise<unknown> = Promise.resolve();
  /** Each partner's changes, spread over time: each one costs a check. */
  private readonly perPartner: PartnerChangeRate;
  /** What the hub's own subgraphs serve: no change may break it, forced or not (composed at the first change). */
  private hubApiSdl: string | null = null;

  constructor(private readonly options: PublisherOptions) {
    this.perPartner = new PartnerChangeRate(options.settings);
  }

  private get db() {
    return this.options.database.db;
  }

  /** Authorizes a change, then counts it against its partner's rate. */
  private async authorize(identity: Identity, name: string) {
    const owner = await authorize(this.db, this.options.builtIns, identity, name);
    if (identity.role === "partner" && identity.actsFor)
      await this.perPartner.consume(identity.actsFor.id);
    return owner;
  }

  /** Publishes a version of a subgraph: from the given SDL, or fetched from `_service { sdl }` at the URL. */
  async publish(identity: Identity, input: PublishInput): Promise<PublishOutcome> {
    const { name, timeoutMs } = input;
    const owner = await this.authorize(identity, name);
    const next = await this.candidate(identity, input);
    const servedNow = await this.servedNow(name, next, timeoutMs ?? null);
    if (servedNow?.sdl === next.sdl) return this.unchanged(name, servedNow.version);
    const store = async (tx: Transaction, by: string) => {
      const [last] = await tx
        .select({ version: max(subgraphVersions.version) })
        .from(subgraphVersions)
        .where(eq(subgraphVersions.subgraphName, name));
      await tx.insert(subgraphs).values({ name, ownerPartnerId: owner }).onConflictDoNothing();
      const version = (last?.version ?? 0) + 1;
      const [row] = await tx
        .insert(subgraphVersions)
        .values({
          subgraphName: name,
          version,
          routingUrl: next.url,
          sdl: next.sdl,
          publishedBy: by,
          publisher: publisherOf(identity),
        })
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
    };
    return this.change(identity, name, next, input.force ?? false, store, servedNow);
  }

  /**
   * Runs every check a publication of this input would, and stores nothing: the same
   * authorization, URL, SDL and `checkChange` as `publish`, whose refusal it reports instead of
   * throwing. Only the caller's authorization (and its rate) is thrown.
   */
  async check(
    identity: Identity,
    input: { name: string; url?: string | null; sdl?: string | null },
  ): Promise<SubgraphCheck> {
    const { name } = input;
    await this.authorize(identity, name);
    try {
      if (!input.url && !input.sdl) throw badUserInput("Donnez l'URL du sous-graphe ou son SDL.");
      // Without a URL, the one served now (a placeholder for a new subgraph, never called).
      const [served] = input.url
        ? []
        : await this.db
            .select({ url: subgraphVersions.routingUrl })
            .from(subgraphs)
            .innerJoin(subgraphVersions, eq(subgraphVersions.id, subgraphs.currentVersionId))
            .where(eq(subgraphs.name, name));
      const next = await this.candidate(identity, {
        name,
        url: input.url ?? served?.url ?? `http://${name}.invalid/graphql`,
        sdl: input.sdl ?? null,
        checkUrl: Boolean(input.url),
      });
      const checked = await this.checkNext(name, next, false);
      return {
        accepted: checked.refusal === null,
        code: checked.refusal?.code ?? null,
        message: checked.refusal?.message ?? null,
        compositionErrors: [],
        changes: checked.changes,
        affectedOperations: checked.broken.map(affected),
      };
    } catch (error) {
      const code = error instanceof GraphQLError ? error.extensions.code : undefined;
      if (typeof code !== "string" || code === "INTERNAL_SERVER_ERROR") throw error;
      const extensions = (error as GraphQLError).extensions;
      return {
        accepted: false,
        code,
        message: (error as GraphQLError).message,
        compositionErrors: (extensions.compositionErrors as CompositionIssue[] | undefined) ?? [],
        changes: (extensions.changes as SchemaChange[] | undefined) ?? [],
        affectedOperations: ((extensions.operations as BrokenOperation[] | undefined) ?? []).map(
          affected,
        ),
      };
    }
  }

  /** The URL and SDL a publication would serve, checked as a publication checks them. */
  private async candidate(
    identity: Identity,
    input: {
      name: string;
      url: string;
      sdl?: string | null;
      timeoutMs?: number | null;
      checkUrl?: boolean;
    },
  ): Promise<{ url: string; sdl: string }> {
    const { allowList, fetchLimits } = this.options.settings;
    if (input.timeoutMs != null) this.checkTimeout(identity, input.timeoutMs);
    const url =
      input.checkUrl === false
        ? input.url
        : (await checkRoutingUrl(input.url, allowList)).toString();
    const sdl = input.sdl
      ? checkSdlSize(input.sdl, fetchLimits)
      : await fetchSubgraphSdl(new URL(url), fetchLimits, this.options.partnerFetch);
    return { url, sdl };
  }

  /**
   * The version served now, when a publication keeps its URL and deadline: the same SDL, layout
   * and comments aside (compared by `checkChange`), is an identical re-publication.
   */
  private async servedNow(
    name: string,
    next: { url: string; sdl: string },
    timeoutMs: number | null,
  ): Promise<ServedVersion | null> {
    const [current] = await this.db
      .select({
        version: subgraphVersions.version,
        url: subgraphVersions.routingUrl,
        sdl: subgraphVersions.sdl,
        timeoutMs: subgraphs.timeoutMs,
      })
      .from(subgraphs)
      .innerJoin(subgraphVersions, eq(subgraphVersions.id, subgraphs.currentVersionId))
      .where(eq(subgraphs.name, name));
    if (
      !current ||
      current.url !== next.url ||
      (timeoutMs != null && timeoutMs !== current.timeoutMs)
    )
      return null;
    return { version: current.version, sdl: current.sdl };
  }

  /** An identical re-publication stores nothing: the outcome of the publication that made it. */
  private async unchanged(name: string, version: number): Promise<PublishOutcome> {
    const [live] = await this.db
      .select({ id: supergraphs.id })
      .from(supergraphs)
      .orderBy(desc(supergraphs.id))
      .limit(1);
    return { subgraph: name, version, revision: live?.id ?? 0, changes: [], unchanged: true };
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
   * The checks of a change, as data (`checkChange` in its worker), against the supergraph live
   * now: what `check` reports and what `change` stores. Throws a refusal found before the diff.
   */
  private checkNext(
    name: string,
    next: { url: string; sdl: string } | null,
    force: boolean,
  ): Promise<CheckedChange>;
  private checkNext(
    name: string,
    next: { url: string; sdl: string } | null,
    force: boolean,
    servedNow: string | null,
  ): Promise<CheckedChange | Unchanged>;
  private async checkNext(
    name: string,
    next: { url: string; sdl: string } | null,
    force: boolean,
    servedNow: string | null = null,
  ): Promise<CheckedChange | Unchanged> {
    const current = await activeSources(this.db);
    // The live supergraph's API, as stored when it was composed with these same hub subgraphs.
    const [live] = await this.db
      .select({ apiSdl: supergraphs.apiSdl, builtInsHash: supergraphs.builtInsHash })
      .from(supergraphs)
      .orderBy(desc(supergraphs.id))
      .limit(1);
    const { settings } = this.options;
    // One object in both places: the worker is sent its SDL (up to REGISTRY_MAX_SDL_BYTES) once.
    const served = next && { name, ...next };
    const checked = await checkInWorker(
      {
        builtIns: this.options.builtIns,
        served,
        servedNow,
        current,
        candidate: [...current.filter((s) => s.name !== name), ...(served ? [served] : [])],
        liveApiSdl: live?.builtInsHash === this.options.builtInsHash ? live.apiSdl : null,
        hubApiSdl: this.hubApiSdl,
        operations: force ? null : await this.recentOperations(),
        usageDays: settings.usageDays,
        bounds: settings.shapeBounds,
      },
      settings.checkLimits,
    );
    if (!("unchanged" in checked)) this.hubApiSdl = checked.hubApiSdl;
    return checked;
  }

  /**
   * The checks every change goes through (`checkNext`), then its record, one change at a time
   * across gateways: check, store, notify, serve.
   */
  private change(
    identity: Identity,
    name: string,
    next: { url: string; sdl: string } | null,
    force: boolean,
    store: (tx: Transaction, by: string) => Promise<{ version: number | null; action: string }>,
    servedNow: ServedVersion | null = null,
  ): Promise<PublishOutcome> {
    const run = async (): Promise<PublishOutcome> => {
      const checked = await this.checkNext(name, next, force, servedNow?.sdl ?? null);
      if ("unchanged" in checked) return this.unchanged(name, servedNow!.version);
      const { supergraph, changes, refusal } = checked;
      if (refusal) throw refusalError(refusal);
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
            subgraph: name,
            subgraphVersion: stored.version,
            publisher: publisherOf(identity),
            changes,
          })
          .returning({ id: supergraphs.id });
        await tx.execute(sql`select pg_notify(${REGISTRY_CHANNEL}, ${String(row!.id)})`);
        return { id: row!.id, version: stored.version };
      });
      await this.options.sync();
      return {
        subgraph: name,
        version: revision.version,
        revision: revision.id,
        changes,
        unchanged: false,
      };
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
    // Each operation once per client that sent it in the period (its client unknown: once, null).
    const clients = this.db
      .selectDistinct({
        signature: operationUsage.signature,
        clientName: operationUsage.clientName,
        clientVersion: operationUsage.clientVersion,
      })
      .from(operationUsage)
      .where(gte(operationUsage.day, since.toISOString().slice(0, 10)))
      .as("clients");
    const sent = await this.db
      .select({
        name: operations.name,
        signature: operations.signature,
        lastSeenAt: operations.lastSeenAt,
        coordinates: operations.coordinates,
        clientName: clients.clientName,
        clientVersion: clients.clientVersion,
      })
      .from(operations)
      .leftJoin(clients, eq(clients.signature, operations.signature))
      .where(gte(operations.lastSeenAt, since))
      .orderBy(desc(operations.lastSeenAt), clients.clientName, clients.clientVersion);
    return [
      ...deployed,
      ...sent.map((operation) => ({
        ...operation,
        clientName: operation.clientName || null,
        clientVersion: operation.clientVersion || null,
      })),
    ];
  }
}

function affected(operation: BrokenOperation): AffectedOperation {
  return {
    hash: operation.signature,
    name: operation.name,
    clientName: operation.clientName ?? null,
    clientVersion: operation.clientVersion ?? null,
    coordinates: operation.paths,
  };
}
