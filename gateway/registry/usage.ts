import { createHash } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import { sql } from "drizzle-orm";
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
import { operations } from "./tables.js";

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

  constructor(private readonly db: Database) {}

  plugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ document, schema, operationName }) => {
          this.record(schema, document, operationName ?? null);
        },
      }),
    };
  }

  record(schema: GraphQLSchema, document: DocumentNode, name: string | null): void {
    const signature = this.signature(document, name);
    if (!signature) return;
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
    this.pending = new Map();
    try {
      await this.db
        .insert(operations)
        .values(batch.map(([signature, seen]) => ({ signature, ...seen })))
        .onConflictDoUpdate({
          target: operations.signature,
          set: {
            count: sql`${operations.count} + excluded.count`,
            lastSeenAt: sql`excluded.last_seen_at`,
          },
        });
    } catch (error) {
      // Kept for the next write, merged with what came since, within the same bound as `record`.
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
    this.timer = setInterval(
      () =>
        this.flush().catch((error: unknown) =>
          console.error("[registry] operation usage not recorded:", error),
        ),
      intervalMs,
    );
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
