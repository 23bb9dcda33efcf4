import { wholeNumber } from "../../lib/config.js";

/** Request limits, each configurable by an environment variable; the defaults fit the portal's operations. */
export interface RequestLimits {
  /** Nesting of selections. `LIMIT_DEPTH` */
  depth: number;
  /** Aliased fields in one operation. `LIMIT_ALIASES` */
  aliases: number;
  /** Directives in one operation. `LIMIT_DIRECTIVES` */
  directives: number;
  /** Lexical tokens of the document. `LIMIT_TOKENS` */
  tokens: number;
  /** Fields at the root of an operation. `LIMIT_ROOT_FIELDS` */
  rootFields: number;
  /** Estimated cost after the cost directives (see cost.ts). `LIMIT_COST` */
  cost: number;
  /** The size assumed of a list without `@listSize` or slicing argument. `LIMIT_LIST_SIZE` */
  assumedListSize: number;
  /** Whether answers carry `extensions.cost` (the estimate and the limit). `COST_IN_EXTENSIONS=on` */
  costInExtensions: boolean;
  /** Largest `first` of a connection. `LIMIT_PAGE_SIZE` */
  pageSize: number;
  /** Fields allowed larger pages, as `Type.field` (a whole EPCI in one page of members). */
  pageSizeOverrides: Record<string, number>;
}

export const DEFAULT_LIMITS: RequestLimits = {
  depth: 10,
  aliases: 20,
  directives: 20,
  tokens: 3000,
  rootFields: 10,
  cost: 5000,
  assumedListSize: 10,
  costInExtensions: false,
  pageSize: 100,
  pageSizeOverrides: { "Territory.members": 500 },
};

export function readRequestLimits(env: NodeJS.ProcessEnv = process.env): RequestLimits {
  return {
    depth: wholeNumber(env, "LIMIT_DEPTH", DEFAULT_LIMITS.depth),
    aliases: wholeNumber(env, "LIMIT_ALIASES", DEFAULT_LIMITS.aliases),
    directives: wholeNumber(env, "LIMIT_DIRECTIVES", DEFAULT_LIMITS.directives),
    tokens: wholeNumber(env, "LIMIT_TOKENS", DEFAULT_LIMITS.tokens),
    rootFields: wholeNumber(env, "LIMIT_ROOT_FIELDS", DEFAULT_LIMITS.rootFields),
    cost: wholeNumber(env, "LIMIT_COST", DEFAULT_LIMITS.cost),
    assumedListSize: wholeNumber(env, "LIMIT_LIST_SIZE", DEFAULT_LIMITS.assumedListSize),
    costInExtensions: env.COST_IN_EXTENSIONS === "on",
    pageSize: wholeNumber(env, "LIMIT_PAGE_SIZE", DEFAULT_LIMITS.pageSize),
    pageSizeOverrides: DEFAULT_LIMITS.pageSizeOverrides,
  };
}

/** The error code of each limit: `DEPTH_LIMIT_EXCEEDED`, `COST_LIMIT_EXCEEDED`... */
export type LimitName =
  | "depth"
  | "aliases"
  | "directives"
  | "tokens"
  | "rootFields"
  | "cost"
  | "pageSize";

export const LIMIT_CODES: Record<LimitName, string> = {
  depth: "DEPTH_LIMIT_EXCEEDED",
  aliases: "ALIAS_LIMIT_EXCEEDED",
  directives: "DIRECTIVE_LIMIT_EXCEEDED",
  tokens: "TOKEN_LIMIT_EXCEEDED",
  rootFields: "ROOT_FIELD_LIMIT_EXCEEDED",
  cost: "COST_LIMIT_EXCEEDED",
  // A page too large is a bad argument, as each subgraph says too (`extensions.limit` names the limit).
  pageSize: "BAD_USER_INPUT",
};
