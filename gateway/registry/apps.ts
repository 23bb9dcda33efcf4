import { createHash } from "node:crypto";
import { printExecutableGraphQLDocument } from "@graphql-tools/documents";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import {
  buildSchema,
  type DocumentNode,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  parse,
  validate,
} from "graphql";
import type { Database, DatabaseHandle } from "../../lib/database.js";
import { badUserInput, notFound, userError } from "../../lib/graphql/errors.js";
import type { Identity } from "../../lib/identity.js";
import type { RecordedOperation } from "./checks.js";
import { NAME } from "./publication.js";
import { appDeployments, appOperations, partners } from "./tables.js";
import { type Client, operationCoordinates } from "./usage.js";

/** The channel gateways listen on for app deployments published or retired. */
export const APPS_CHANNEL = "hub_apps";

/** The most operations one deployment may hold (codegen writes one per operation of the portal). */
export const MAX_APP_OPERATIONS = 1000;

const VERSION = /^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$/;

interface ServedDocument {
  body: string;
  app: Client;
}

/**
 * The operations of the active app deployments, as this gateway serves them: persisted queries by
 * their hash, trusted documents for anonymous clients (`TRUSTED_DOCUMENTS=anonymous`), and the
 * client a request names when its headers name none.
 */
export class AppDocuments {
  private byHash = new Map<string, ServedDocument>();
  private byPrinted = new Map<string, Client>();
  private generation = 0;
  /** Which deployments are served: the same in every gateway that follows the same registry. */
  fingerprint = "";
  /** The app of each parsed document Apollo Server hands over (its document store reuses them). */
  private readonly apps = new WeakMap<
    DocumentNode,
    { generation: number; app: Client | undefined }
  >();

  /** The document of an active deployment with this sha256 hash. */
  get(hash: string): string | undefined {
    return this.byHash.get(hash)?.body;
  }

  /** The app deployment (the latest active one) whose operations hold this document, layout aside. */
  appOf(document: DocumentNode): Client | undefined {
    if (this.byPrinted.size === 0) return undefined;
    const known = this.apps.get(document);
    if (known?.generation === this.generation) return known.app;
    const app = this.byPrinted.get(printExecutableGraphQLDocument(document));
    this.apps.set(document, { generation: this.generation, app });
    return app;
  }

  /** Replaces what is served; rows oldest first, so that the latest deployment of a shared document wins. */
  replace(
    rows: readonly { hash: string; body: string; name: string; version: string }[],
    fingerprint: string,
  ): void {
    const byHash = new Map<string, ServedDocument>();
    const byPrinted = new Map<string, Client>();
    for (const row of rows) {
      const app = { name: row.name, version: row.version };
      byHash.set(row.hash, { body: row.body, app });
      byPrinted.set(printExecutableGraphQLDocument(parse(row.body)), app);
    }
    this.byHash = byHash;
    this.byPrinted = byPrinted;
    this.generation += 1;
    this.fingerprint = fingerprint;
  }
}

/** The operations of the active deployments, oldest deployment first. */
function activeRows(db: Database) {
  return db
    .select({
      hash: appOperations.hash,
      body: appOperations.body,
      operationName: appOperations.name,
      coordinates: appOperations.coordinates,
      name: appDeployments.name,
      version: appDeployments.version,
      publishedAt: appDeployments.publishedAt,
    })
    .from(appOperations)
    .innerJoin(appDeployments, eq(appDeployments.id, appOperations.deploymentId))
    .where(isNull(appDeployments.retiredAt))
    .orderBy(asc(appDeployments.id));
}

/**
 * The operations of active app deployments, for the breaking-change checks: they count as used
 * from their publication on, before any traffic. The signature is the document's hash; the
 * latest deployment first.
 */
export async function activeAppOperations(db: Database): Promise<RecordedOperation[]> {
  const rows = (await activeRows(db)).reverse();
  return rows.map((row) => ({
    name: row.operationName,
    signature: row.hash,
    lastSeenAt: row.publishedAt,
    coordinates: row.coordinates,
    clientName: row.name,
    clientVersion: row.version,
  }));
}

/**
 * Keeps a gateway's `AppDocuments` at what the registry holds, whichever gateway changed it:
 * notified at once, and checked at each of the supergraph follower's polls by one small statement
 * (the same ticks: two timers would leave fewer quiet moments on a shared database).
 */
export class AppFollower {
  private fingerprint = "";
  private syncing: Promise<void> = Promise.resolve();
  private stops: (() => Promise<void> | void)[] = [];

  constructor(
    private readonly database: DatabaseHandle,
    readonly documents: AppDocuments,
    private readonly log?: (line: string) => void,
  ) {}

  /** Loads the active deployments, then follows their notifications; `sync()` is the poll. */
  async start(): Promise<void> {
    await this.sync();
    const stop = await this.database.listen(APPS_CHANNEL, () => void this.sync());
    this.stops.push(stop);
  }

  async close(): Promise<void> {
    for (const stop of this.stops.splice(0)) await stop();
    await this.syncing;
  }

  /** Loads the active deployments' operations if any deployment was published or retired since. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() =>
      this.load().catch((error: unknown) =>
        this.log?.(
          `[registry] app deployments not updated: ${error instanceof Error ? error.message : String(error)}`,
        ),
      ),
    );
    return this.syncing;
  }

  private async load(): Promise<void> {
    const db = this.database.db;
    // Publishing adds a row, retiring sets a date: both change this.
    const [state] = await db
      .select({
        rows: sql<number>`count(*)`.mapWith(Number),
        last: sql<number>`coalesce(max(${appDeployments.id}), 0)`.mapWith(Number),
        retired: sql<number>`count(${appDeployments.retiredAt})`.mapWith(Number),
      })
      .from(appDeployments);
    const fingerprint = `${state?.rows}:${state?.last}:${state?.retired}`;
    if (fingerprint === this.fingerprint) return;
    this.documents.replace(await activeRows(db), fingerprint);
    this.fingerprint = fingerprint;
  }
}

export interface AppOperationRecord {
  hash: string;
  name: string | null;
  body: string;
}

export interface AppDeploymentRecord {
  name: string;
  version: string;
  active: boolean;
  publishedAt: Date;
  retiredAt: Date | null;
  owner: string | null;
  operations: AppOperationRecord[];
}

/** An operation of a manifest that is refused, and why. */
interface RefusedOperation {
  hash: string;
  name: string | null;
  errors: string[];
}

/**
 * App deployments: a portal publishes its operations (graphql-codegen's
 * `persisted-documents.json`) under its name and a version, each checked against the public
 * schema; until retired, anonymous clients may send them, and they count as used.
 */
export class AppRegistry {
  private schemaOf: { apiSdl: string; schema: GraphQLSchema } | undefined;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly apiSdl: () => string,
    private readonly follower: AppFollower,
  ) {}

  private get db() {
    return this.database.db;
  }

  private schema(): GraphQLSchema {
    const apiSdl = this.apiSdl();
    if (this.schemaOf?.apiSdl !== apiSdl) this.schemaOf = { apiSdl, schema: buildSchema(apiSdl) };
    return this.schemaOf.schema;
  }

  /** Who may publish or retire this app: an admin, or the partner owning it (or about to). */
  private async authorize(identity: Identity, name: string): Promise<string | null> {
    if (identity.role !== "admin" && identity.role !== "partner")
      throw userError(
        "FORBIDDEN",
        "Seuls les partenaires et l'administration publient des applications.",
      );
    if (!NAME.test(name))
      throw badUserInput("Nom d'application : 3 à 40 caractères, minuscules, chiffres et tirets.");
    const [existing] = await this.db
      .select({ owner: appDeployments.ownerPartnerId })
      .from(appDeployments)
      .where(eq(appDeployments.name, name))
      .orderBy(asc(appDeployments.id))
      .limit(1);
    if (identity.role === "admin") return existing ? existing.owner : null;
    const partnerId = identity.actsFor?.kind === "partner" ? identity.actsFor.id : undefined;
    const [partner] = partnerId
      ? await this.db.select().from(partners).where(eq(partners.id, partnerId))
      : [];
    if (!partner) throw userError("FORBIDDEN", "Ce jeton n'agit pour aucun partenaire inscrit.");
    if (existing && existing.owner !== partner.id)
      throw userError("FORBIDDEN", `L'application « ${name} » appartient à un autre partenaire.`);
    return partner.id;
  }

  /** Reads and checks a manifest: each hash the sha256 of its document, each document valid against the public schema. */
  private readManifest(manifest: string) {
    let entries: [string, unknown][];
    try {
      const parsed = JSON.parse(manifest) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error();
      entries = Object.entries(parsed);
    } catch {
      throw badUserInput(
        'Manifeste illisible : un objet JSON { "<hash sha256>": "<document>" } est attendu (persisted-documents.json de graphql-codegen).',
      );
    }
    if (entries.length === 0) throw badUserInput("Le manifeste ne contient aucune opération.");
    if (entries.length > MAX_APP_OPERATIONS)
      throw badUserInput(`Au plus ${MAX_APP_OPERATIONS} opérations par déploiement.`, {
        operations: entries.length,
      });
    const schema = this.schema();
    const mismatched: RefusedOperation[] = [];
    const invalid: RefusedOperation[] = [];
    const checked: (AppOperationRecord & { coordinates: string[] })[] = [];
    for (const [key, body] of entries) {
      const hash = key.replace(/^sha256:/, "");
      if (typeof body !== "string") {
        mismatched.push({ hash, name: null, errors: ["Le document n'est pas une chaîne."] });
        continue;
      }
      if (createHash("sha256").update(body).digest("hex") !== hash) {
        mismatched.push({
          hash,
          name: null,
          errors: ["Ce hash n'est pas le sha256 du document."],
        });
        continue;
      }
      let document: DocumentNode;
      try {
        document = parse(body);
      } catch (error) {
        invalid.push({ hash, name: null, errors: [(error as Error).message] });
        continue;
      }
      const name = getOperationAST(document)?.name?.value ?? null;
      const operationCount = document.definitions.filter(
        (d) => d.kind === Kind.OPERATION_DEFINITION,
      ).length;
      const errors =
        operationCount === 1
          ? validate(schema, document).map((e) => e.message)
          : ["Un document doit contenir une seule opération."];
      if (errors.length > 0) invalid.push({ hash, name, errors });
      else checked.push({ hash, name, body, coordinates: operationCoordinates(schema, document) });
    }
    if (mismatched.length > 0)
      throw badUserInput(
        `${mismatched.length} opération(s) dont le hash n'est pas le sha256 du document : ${mismatched.map((o) => o.hash.slice(0, 12)).join(", ")}.`,
        { operations: mismatched },
      );
    if (invalid.length > 0)
      throw userError(
        "GRAPHQL_VALIDATION_FAILED",
        `${invalid.length} opération(s) invalide(s) pour le schéma public : ${invalid.map((o) => o.name ?? o.hash.slice(0, 12)).join(", ")}.`,
        { operations: invalid },
      );
    return checked;
  }

  async publish(
    identity: Identity,
    input: { name: string; version: string; manifest: string },
  ): Promise<AppDeploymentRecord> {
    const { name, version } = input;
    const owner = await this.authorize(identity, name);
    if (!VERSION.test(version))
      throw badUserInput(
        "Version : 1 à 64 caractères, lettres, chiffres, points, tirets, « + » et « _ ».",
      );
    const checked = this.readManifest(input.manifest);
    const [existing] = await this.deployments({ name, version, includeRetired: true });
    if (existing) {
      const same =
        existing.active &&
        existing.operations.length === checked.length &&
        checked.every((o) => existing.operations.some((e) => e.hash === o.hash));
      if (same) return existing;
      throw userError(
        "ALREADY_EXISTS",
        `${name} ${version} est déjà publiée${existing.active ? "" : " puis retirée"} avec d'autres opérations : publiez une nouvelle version.`,
      );
    }
    await this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(appDeployments)
        .values({
          name,
          version,
          ownerPartnerId: owner,
          publishedBy: identity.subject ?? identity.role,
        })
        .onConflictDoNothing()
        .returning({ id: appDeployments.id });
      // The same version published at the same time through another gateway.
      if (!row) throw userError("ALREADY_EXISTS", `${name} ${version} vient d'être publiée.`);
      await tx
        .insert(appOperations)
        .values(checked.map((operation) => ({ deploymentId: row!.id, ...operation })));
      await tx.execute(sql`select pg_notify(${APPS_CHANNEL}, ${`${name} ${version}`})`);
    });
    await this.follower.sync();
    const [published] = await this.deployments({ name, version, includeRetired: true });
    return published!;
  }

  async retire(
    identity: Identity,
    input: { name: string; version: string },
  ): Promise<AppDeploymentRecord> {
    const { name, version } = input;
    await this.authorize(identity, name);
    const [existing] = await this.deployments({ name, version, includeRetired: true });
    if (!existing) throw notFound(`Aucune application « ${name} » en version « ${version} ».`);
    if (!existing.active) return existing;
    await this.db.transaction(async (tx) => {
      await tx
        .update(appDeployments)
        .set({ retiredAt: new Date() })
        .where(and(eq(appDeployments.name, name), eq(appDeployments.version, version)));
      await tx.execute(sql`select pg_notify(${APPS_CHANNEL}, ${`${name} ${version}`})`);
    });
    await this.follower.sync();
    const [retired] = await this.deployments({ name, version, includeRetired: true });
    return retired!;
  }

  /** The app deployments (a partner's own), newest first within each app. */
  list(identity: Identity, includeRetired: boolean): Promise<AppDeploymentRecord[]> {
    if (identity.role === "admin") return this.deployments({ includeRetired });
    const partnerId =
      identity.role === "partner" && identity.actsFor?.kind === "partner"
        ? identity.actsFor.id
        : undefined;
    if (!partnerId) throw userError("FORBIDDEN", "Ce jeton n'agit pour aucun partenaire.");
    return this.deployments({ includeRetired, owner: partnerId });
  }

  private async deployments(filter: {
    name?: string;
    version?: string;
    owner?: string;
    includeRetired: boolean;
  }): Promise<AppDeploymentRecord[]> {
    const rows = await this.db
      .select()
      .from(appDeployments)
      .where(
        and(
          filter.name ? eq(appDeployments.name, filter.name) : undefined,
          filter.version ? eq(appDeployments.version, filter.version) : undefined,
          filter.owner ? eq(appDeployments.ownerPartnerId, filter.owner) : undefined,
          filter.includeRetired ? undefined : isNull(appDeployments.retiredAt),
        ),
      )
      .orderBy(asc(appDeployments.name), desc(appDeployments.id));
    const operations = new Map<number, AppOperationRecord[]>();
    if (rows.length > 0) {
      const ids = rows.map((row) => row.id);
      const all = await this.db
        .select({
          deploymentId: appOperations.deploymentId,
          hash: appOperations.hash,
          name: appOperations.name,
          body: appOperations.body,
        })
        .from(appOperations)
        .where(inArray(appOperations.deploymentId, ids))
        .orderBy(asc(appOperations.name), asc(appOperations.hash));
      for (const { deploymentId, ...operation } of all)
        operations.set(deploymentId, [...(operations.get(deploymentId) ?? []), operation]);
    }
    return rows.map((row) => ({
      name: row.name,
      version: row.version,
      active: row.retiredAt === null,
      publishedAt: row.publishedAt,
      retiredAt: row.retiredAt,
      owner: row.ownerPartnerId,
      operations: operations.get(row.id) ?? [],
    }));
  }
}
