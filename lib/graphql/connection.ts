import "reflect-metadata";
import { ArgsType, type ClassType, Directive, Field, Int, ObjectType } from "type-graphql";
import type { Select } from "./batch.js";
import { CacheLikeParent } from "./cache.js";
import { badUserInput } from "./errors.js";
import type { JsonSelect } from "./json-rows.js";

/** Most lists hold at most this many items per page. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType({ description: "Relay page information." })
@Directive("@shareable")
@CacheLikeParent()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many items (${MAX_PAGE_SIZE} at most unless the field says otherwise).`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "The `endCursor` of the previous page." })
  after?: string | null;
}

/** A page request once validated: read `limit` rows after skipping `offset`. */
export interface Page {
  offset: number;
  limit: number;
}

const CURSOR_PREFIX = "offset:";

export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const decoded = Buffer.from(cursor, "base64url").toString("utf8");
  const offset = Number(decoded.slice(CURSOR_PREFIX.length));
  if (!decoded.startsWith(CURSOR_PREFIX) || !Number.isSafeInteger(offset) || offset < 0) {
    throw badUserInput(`Curseur invalide : « ${cursor} ».`, { argument: "after" });
  }
  return offset;
}

/**
 * Validates `first`/`after`. Cursors are opaque offsets: the lists are ordered by stable keys, and
 * a page is at most a few hundred rows, so an offset is as good as a keyset here.
 */
export function parsePage(args: PageArgs, maxPageSize = MAX_PAGE_SIZE): Page {
  const first = args.first ?? Math.min(DEFAULT_PAGE_SIZE, maxPageSize);
  if (!Number.isInteger(first) || first < 0 || first > maxPageSize) {
    throw badUserInput(`« first » doit être compris entre 0 et ${maxPageSize} (reçu : ${first}).`, {
      argument: "first",
      maximum: maxPageSize,
    });
  }
  const offset = args.after ? decodeCursor(args.after) + 1 : 0;
  return { offset, limit: first };
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Builds a connection from one page of rows and the total count of the list. */
export function toConnection<T>(
  rows: readonly T[],
  page: Page,
  totalCount: number,
): ConnectionShape<T> {
  const nodes = rows.slice(0, page.limit);
  const edges = nodes.map((node, index) => ({ cursor: encodeCursor(page.offset + index), node }));
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: page.offset + nodes.length < totalCount,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/** A select in the list's order, whose page `pageOf` cuts out. */
export interface OrderedSelect<Row> {
  offset(offset: number): { limit(limit: number): JsonSelect<Row> };
}

/**
 * A root list's page: its rows and the size of the whole list, asked for together so that
 * `select` (the request batch's) sends them as one statement.
 */
export async function pageOf<Row>(
  select: Select,
  page: Page,
  rows: OrderedSelect<Row>,
  total: JsonSelect<{ total: number }>,
): Promise<ConnectionShape<Row>> {
  const [pageRows, [counted]] = await Promise.all([
    select(rows.offset(page.offset).limit(page.limit)),
    select(total),
  ]);
  return toConnection(pageRows, page, counted?.total ?? 0);
}

/** Declares `<Name>Connection` and `<Name>Edge` for a node type. */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name = nodeType.name) {
  @ObjectType(`${name}Edge`)
  @CacheLikeParent()
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} (Relay connection).` })
  @CacheLikeParent()
  class Connection implements ConnectionShape<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [nodeType])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;
  }
  return Connection;
}
