import { createHash } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import { lt, sql } from "drizzle-orm";
import {
  type DocumentNode,
  GraphQLEnumType,
  GraphQLInputObjectType,
  type GraphQLSchema,
  type GraphQLType,
  getNamedType,
  stripIgnoredCharacters,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { Database } from "../../lib/database.js";
import { operations, operationUsage } from "./tables.js";

/** The schema coordinates an operation reads: what a breaking change is checked against. */
export function operationCoordinates(schema: GraphQLSchema, document: DocumentNode): string[] {
  const coordinates = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const noteType = (type: GraphQLType | null | undefined) => {
    const named = type ? getNamedType(type) : undefined;
    if (named instanceof GraphQLEnumType || named instanceof GraphQLInputObjectType)
      coordinates.add(named.name);
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        coordinates.add(`${parent.name}.${field.name}`);
        noteType(field.type);
      },
      Argument() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        const argument = typeInfo.getArgument();
        if (!parent || !field || !argument) return;
        coordinates.add(`${parent.name}.${field.name}.${argument.name}`);
        noteType(argument.type);
      },
      VariableDefinition() {
        noteType(typeInfo.getInputType());
      },
    }),
  );
  return [...coordinates].sort();
}

/** Who sent an operation: its name and version, as the client said or as its app deployment says. */
export interface Client {
  name: string;
  version: string;
}

/** Client names and versions longer than this are cut: they come from request headers. */
const CLIENT_FIELD_LENGTH = 64;

/**
 * The client a request names in its headers: `graphql-client-name`/`graphql-client-version`, or
 * Apollo's `apollographql-client-name`/`-version`; undefined when it names none.
 */
export function clientOf(headers: {
  get(name: string): string | undefined | null;
}): Client | undefined {
  const name = headers.get("graphql-client-name") || headers.get("apollographql-client-name");
  if (!name) return undefined;
  const version =
    headers.get("graphql-client-version") || headers.get("apollographql-client-version") || "";
  return {
    name: name.trim().slice(0, CLIENT_FIELD_LENGTH),
    version: version.trim().slice(0, CLIENT_FIELD_LENGTH),
  };
}

interface Seen {
  name: string | null;
  coordinates: string[];
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/**
 * Operations seen since the last flush are kept in memory: no write per request. Past this many
 * distinct ones (a database down for long), new ones are not recorded until a write succeeds.
 */
export const MAX_PENDING = 5_000;

/** Days of usage per client kept: the longest period `fieldUsage` reads; older days are deleted daily. */
export const USAGE_KEPT_DAYS = 366;

/**
 * Records which operations clients send and what they read, in the registry (`registry.operations`),
 * written in batches every few seconds and before each registry check.
 */
export class OperationUsage {
  private pending = new Map<string, Seen>();
  private timer: NodeJS.Timeout | undefined;
  /**
   * Signatures by parsed document, then by operation name. Apollo Server hands every request of a
   * query text it has parsed before the same DocumentNode (its document store), so a repeated
   * operation costs a lookup; entries go when the store lets their document go.
   */
  private readonly signatures = new WeakMap<DocumentNode, Map<string, string>>();

  /** Counts per signature, day and client since the last flush, under the same bound. */
  private pendingUsage = new Map<string, number>();

  /**
   * `appOf`: the app deployment a trusted document belongs to, the client of a request that names
   * none in its headers.
   */
  constructor(
    private readonly db: Database,
    private readonly appOf: (document: DocumentNode) => Client | undefined = () => undefined,
  ) {}

  plugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ document, schema, operationName, request }) => {
          const client = (request.http && clientOf(request.http.headers)) ?? this.appOf(document);
          this.record(schema, document, operationName ?? null, client);
        },
      }),
    };
  }

  record(
    schema: GraphQLSchema,
    document: DocumentNode,
    name: string | null,
    client?: Client,
  ): void {
    const signature = this.signature(document, name);
    if (!signature) return;
    this.countUsage(signature, client);
    const seen = this.pending.get(signature);
    if (seen) {
      seen.count += 1;
      seen.lastSeenAt = new Date();
    } else if (this.pending.size < MAX_PENDING) {
      const now = new Date();
      this.pending.set(signature, {
        name,
        coordinates: operationCoordinates(schema, document),
        count: 1,
        firstSeenAt: now,
        lastSeenAt: now,
      });
    }
  }

  private countUsage(signature: string, client: Client | undefined): void {
    const day = new Date().toISOString().slice(0, 10);
    this.addUsage(`${signature}\n${day}\n${client?.name ?? ""}\n${client?.version ?? ""}`, 1);
  }

  /** Adds to the count of one signature, day and client, within the bound of `pending`. */
  private addUsage(key: string, count: number): void {
    const counted = this.pendingUsage.get(key);
    if (counted !== undefined) this.pendingUsage.set(key, counted + count);
    else if (this.pendingUsage.size < MAX_PENDING) this.pendingUsage.set(key, count);
  }

  /** A hash of the operation's name and text, layout aside: the same for every copy of the text. */
  signature(document: DocumentNode, name: string | null): string | undefined {
    let byName = this.signatures.get(document);
    let signature = byName?.get(name ?? "");
    if (signature) return signature;
    const source = document.loc?.source.body;
    if (!source) return undefined;
    signature = createHash("sha256")
      .update(`${name ?? ""}\n${stripIgnoredCharacters(source)}`)
      .digest("hex");
    if (!byName) {
      byName = new Map();
      this.signatures.set(document, byName);
    }
    byName.set(name ?? "", signature);
    return signature;
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    const usage = [...this.pendingUsage];
    this.pending = new Map();
    this.pendingUsage = new Map();
    try {
      await this.db.transaction(async (tx) => {
        await tx
          .insert(operations)
          .values(batch.map(([signature, seen]) => ({ signature, ...seen })))
          .onConflictDoUpdate({
            target: operations.signature,
            set: {
              count: sql`${operations.count} + excluded.count`,
              lastSeenAt: sql`excluded.last_seen_at`,
            },
          });
        // Only the signatures just written: a count kept past the bound of `pending` has no operation row.
        const written = new Set(batch.map(([signature]) => signature));
        const rows = usage.flatMap(([key, count]) => {
          const [signature, day, clientName, clientVersion] = key.split("\n") as [
            string,
            string,
            string,
            string,
          ];
          return written.has(signature)
            ? [{ signature, day, clientName, clientVersion, count }]
            : [];
        });
        if (rows.length > 0)
          await tx
            .insert(operationUsage)
            .values(rows)
            .onConflictDoUpdate({
              target: [
                operationUsage.signature,
                operationUsage.day,
                operationUsage.clientName,
                operationUsage.clientVersion,
              ],
              set: { count: sql`${operationUsage.count} + excluded.count` },
            });
      });
    } catch (error) {
      // Kept for the next write, merged with what came since, within the same bound as `record`.
      for (const [key, count] of usage) this.addUsage(key, count);
      for (const [signature, seen] of batch) {
        const since = this.pending.get(signature);
        if (since)
          Object.assign(since, { count: since.count + seen.count, firstSeenAt: seen.firstSeenAt });
        else if (this.pending.size < MAX_PENDING) this.pending.set(signature, seen);
      }
      throw error;
    }
  }

  start(intervalMs: number): void {
    let pruned = Date.now();
    this.timer = setInterval(() => {
      this.flush().catch((error: unknown) =>
        console.error("[registry] operation usage not recorded:", error),
      );
      if (Date.now() - pruned > 86_400_000) {
        pruned = Date.now();
        this.prune().catch((error: unknown) =>
          console.error("[registry] old operation usage not deleted:", error),
        );
      }
    }, intervalMs);
    this.timer.unref();
  }

  /** Deletes the usage per client of the days past `USAGE_KEPT_DAYS`. */
  async prune(now = new Date()): Promise<void> {
    const oldest = new Date(now.getTime() - USAGE_KEPT_DAYS * 86_400_000)
      .toISOString()
      .slice(0, 10);
    await this.db.delete(operationUsage).where(lt(operationUsage.day, oldest));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
