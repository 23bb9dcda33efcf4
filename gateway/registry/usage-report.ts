import { and, eq, gte, isNull, type SQL, sql } from "drizzle-orm";
import { Kind, parse } from "graphql";
import type { Database } from "../../lib/database.js";
import { badUserInput, notFound, userError } from "../../lib/graphql/errors.js";
import type { Identity } from "../../lib/identity.js";
import type { SubgraphSource } from "../composition.js";
import {
  appDeployments,
  appOperations,
  operations,
  operationUsage,
  subgraphs,
  subgraphVersions,
} from "./tables.js";

/** Root fields and types @apollo/subgraph adds to every subgraph, for the gateway only. */
const FEDERATION_FIELDS = new Set(["Query._service", "Query._entities"]);
const FEDERATION_TYPES = new Set(["_Service", "_Any", "_Entity", "FieldSet", "link__Import"]);

/** The fields (`Type.field`) and the types an SDL defines, what it only refers to (`@external`) aside. */
export function definedCoordinates(sdl: string): { fields: Set<string>; types: Set<string> } {
  const fields = new Set<string>();
  const types = new Set<string>();
  for (const definition of parse(sdl).definitions) {
    if (
      !("name" in definition) ||
      !definition.name ||
      definition.kind === Kind.DIRECTIVE_DEFINITION
    )
      continue;
    const type = definition.name.value;
    if (FEDERATION_TYPES.has(type)) continue;
    if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      definition.kind === Kind.ENUM_TYPE_DEFINITION ||
      definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.UNION_TYPE_DEFINITION ||
      definition.kind === Kind.SCALAR_TYPE_DEFINITION
    ) {
      types.add(type);
    }
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    )
      continue;
    for (const field of definition.fields ?? []) {
      const hidden = field.directives?.some(
        (d) => d.name.value === "external" || d.name.value === "inaccessible",
      );
      const coordinate = `${type}.${field.name.value}`;
      if (!hidden && !FEDERATION_FIELDS.has(coordinate)) fields.add(coordinate);
    }
  }
  return { fields, types };
}

export interface ClientUsage {
  clientName: string | null;
  clientVersion: string | null;
  count: number;
}

export interface OperationUsageCount {
  hash: string;
  name: string | null;
  clientName: string | null;
  count: number;
}

export interface DailyUsage {
  day: string;
  clientName: string | null;
  count: number;
}

export interface FieldUsage {
  coordinate: string;
  total: number;
  clients: ClientUsage[];
  operations: OperationUsageCount[];
  daily: DailyUsage[];
}

const COORDINATE = /^[_A-Za-z][_0-9A-Za-z]*(\.[_A-Za-z][_0-9A-Za-z]*)?$/;

function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw badUserInput("Période : de 1 à 366 jours.", { days });
}

/** The partner a token acts for; undefined for an admin. Any other caller is refused. */
function partnerOf(identity: Identity): string | undefined {
  if (identity.role === "admin") return undefined;
  if (identity.role === "partner" && identity.actsFor?.kind === "partner")
    return identity.actsFor.id;
  throw userError("FORBIDDEN", "Ce jeton n'agit pour aucun partenaire.");
}

/**
 * Who used what, read from the operations the gateways recorded (`usage.ts`): a partner sees the
 * fields and types of its own subgraphs (not the hub's, even those it extends), an admin all.
 */
export class UsageReport {
  private readonly hub: { fields: Set<string>; types: Set<string> };

  constructor(
    private readonly db: Database,
    private readonly builtIns: readonly SubgraphSource[],
  ) {
    this.hub = { fields: new Set(), types: new Set() };
    for (const source of builtIns) {
      const defined = definedCoordinates(source.sdl);
      for (const field of defined.fields) this.hub.fields.add(field);
      for (const type of defined.types) this.hub.types.add(type);
    }
  }

  /** What a partner's subgraphs served now define that the hub's own do not. */
  private async ownedBy(partnerId: string) {
    const rows = await this.db
      .select({ sdl: subgraphVersions.sdl })
      .from(subgraphs)
      .innerJoin(subgraphVersions, eq(subgraphVersions.id, subgraphs.currentVersionId))
      .where(eq(subgraphs.ownerPartnerId, partnerId));
    const owned = { fields: new Set<string>(), types: new Set<string>() };
    for (const { sdl } of rows) {
      const defined = definedCoordinates(sdl);
      for (const field of defined.fields) if (!this.hub.fields.has(field)) owned.fields.add(field);
      for (const type of defined.types) if (!this.hub.types.has(type)) owned.types.add(type);
    }
    return owned;
  }

  /** Which operations and clients read a field (`Type.field`) or a type (`Type`), day by day. */
  async fieldUsage(identity: Identity, coordinate: string, days: number): Promise<FieldUsage> {
    checkDays(days);
    if (!COORDINATE.test(coordinate))
      throw badUserInput("Coordonnée attendue : « Type.champ » ou « Type ».", { coordinate });
    const partnerId = partnerOf(identity);
    const [type, field] = coordinate.split(".") as [string, string | undefined];
    const wholeType = sql`split_part(c.v, '.', 1) = ${type}`;
    let reads: SQL = field ? sql`c.v = ${coordinate}` : wholeType;
    if (partnerId !== undefined) {
      const owned = await this.ownedBy(partnerId);
      const ownFields = [...owned.fields].filter((f) => f.startsWith(`${type}.`));
      const allowed = field
        ? owned.fields.has(coordinate)
        : ownFields.length > 0 || owned.types.has(type);
      if (!allowed)
        throw userError(
          "FORBIDDEN",
          `« ${coordinate} » n'est pas servi par un sous-graphe de ce partenaire.`,
        );
      // A type the partner extends: its own fields of it, not the hub's.
      if (!field && !owned.types.has(type))
        reads = sql`c.v in (${sql.join(
          ownFields.map((f) => sql`${f}`),
          sql`, `,
        )})`;
    }
    const since = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const rows = await this.db
      .select({
        hash: operations.signature,
        name: operations.name,
        clientName: operationUsage.clientName,
        clientVersion: operationUsage.clientVersion,
        day: operationUsage.day,
        count: operationUsage.count,
      })
      .from(operationUsage)
      .innerJoin(operations, eq(operations.signature, operationUsage.signature))
      .where(
        and(
          gte(operationUsage.day, since),
          sql`exists (select 1 from jsonb_array_elements_text(${operations.coordinates}) as c(v) where ${reads})`,
        ),
      );
    const add = <T extends { count: number }>(map: Map<string, T>, key: string, entry: T) => {
      const existing = map.get(key);
      if (existing) existing.count += entry.count;
      else map.set(key, entry);
    };
    const clients = new Map<string, ClientUsage>();
    const byOperation = new Map<string, OperationUsageCount>();
    const daily = new Map<string, DailyUsage>();
    let total = 0;
    for (const row of rows) {
      const clientName = row.clientName || null;
      total += row.count;
      add(clients, `${row.clientName}\n${row.clientVersion}`, {
        clientName,
        clientVersion: row.clientVersion || null,
        count: row.count,
      });
      add(byOperation, `${row.hash}\n${row.clientName}`, {
        hash: row.hash,
        name: row.name,
        clientName,
        count: row.count,
      });
      add(daily, `${row.day}\n${row.clientName}`, { day: row.day, clientName, count: row.count });
    }
    const byCount = (a: { count: number }, b: { count: number }) => b.count - a.count;
    return {
      coordinate,
      total,
      clients: [...clients.values()].sort(byCount),
      operations: [...byOperation.values()].sort(byCount),
      daily: [...daily.values()].sort(
        (a, b) =>
          a.day.localeCompare(b.day) || (a.clientName ?? "").localeCompare(b.clientName ?? ""),
      ),
    };
  }

  /**
   * The fields a subgraph serves that no operation read in the period, nor any operation of an
   * active app deployment: those it may remove without breaking a client.
   */
  async unusedFields(identity: Identity, subgraph: string, days: number): Promise<string[]> {
    checkDays(days);
    const partnerId = partnerOf(identity);
    let fields: Set<string>;
    const builtIn = this.builtIns.find((s) => s.name === subgraph);
    if (builtIn) {
      if (partnerId !== undefined)
        throw userError("FORBIDDEN", `« ${subgraph} » est un sous-graphe du hub.`);
      fields = definedCoordinates(builtIn.sdl).fields;
    } else {
      const [row] = await this.db
        .select({ owner: subgraphs.ownerPartnerId, sdl: subgraphVersions.sdl })
        .from(subgraphs)
        .leftJoin(subgraphVersions, eq(subgraphVersions.id, subgraphs.currentVersionId))
        .where(eq(subgraphs.name, subgraph));
      if (!row) throw notFound(`Aucun sous-graphe « ${subgraph} ».`);
      if (partnerId !== undefined && row.owner !== partnerId)
        throw userError(
          "FORBIDDEN",
          `Le sous-graphe « ${subgraph} » appartient à un autre partenaire.`,
        );
      if (!row.sdl) throw notFound(`Le sous-graphe « ${subgraph} » n'est plus servi.`);
      fields = new Set(
        [...definedCoordinates(row.sdl).fields].filter((f) => !this.hub.fields.has(f)),
      );
    }
    const since = new Date(Date.now() - days * 86_400_000);
    const [seen, deployed] = await Promise.all([
      this.db
        .select({ coordinates: operations.coordinates })
        .from(operations)
        .where(gte(operations.lastSeenAt, since)),
      this.db
        .select({ coordinates: appOperations.coordinates })
        .from(appOperations)
        .innerJoin(appDeployments, eq(appDeployments.id, appOperations.deploymentId))
        .where(isNull(appDeployments.retiredAt)),
    ]);
    const used = new Set([...seen, ...deployed].flatMap((row) => row.coordinates));
    return [...fields].filter((f) => !used.has(f)).sort();
  }
}
