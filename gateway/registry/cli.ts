import { readFileSync } from "node:fs";

/**
 * `hub subgraph …` and `hub partner …`: a client of the registry's API (`/admin/graphql`), as
 * `rover` is of a registry, so that it works against any running hub, local or not, on PGlite
 * (which the running hub holds) as on PostgreSQL.
 */
export interface RegistryCliOptions {
  /** `HUB_URL`: the gateway, e.g. http://localhost:4000. */
  hubUrl: string;
  /** `HUB_TOKEN`: a partner's token, or an admin key. */
  token: string | undefined;
  log: (line: string) => void;
}

export interface RegistryCliArgs {
  name?: string | undefined;
  url?: string | undefined;
  schema?: string | undefined;
  force?: boolean | undefined;
  "timeout-ms"?: string | undefined;
  version?: string | undefined;
  id?: string | undefined;
  manifest?: string | undefined;
  subgraph?: string | undefined;
  days?: string | undefined;
  json?: boolean | undefined;
  last?: string | undefined;
}

interface GraphQLError {
  message: string;
  extensions?: {
    code?: string;
    compositionErrors?: { code: string; message: string; subgraphs: string[] }[];
    changes?: { criticality: string; path: string | null; message: string }[];
    operations?: {
      name: string | null;
      signature?: string;
      hash?: string;
      paths?: string[];
      errors?: string[];
      clientName?: string | null;
      clientVersion?: string | null;
    }[];
    fields?: string[];
  };
}

export class RegistryCommandFailed extends Error {}

/** A command given wrongly (a missing or conflicting flag): `hub` exits with 2. */
export class UsageError extends Error {}

/** `hub subgraph <verb>`: any other word names one of the hub's own subgraphs to serve. */
export const REGISTRY_VERBS = [
  "publish",
  "check",
  "list",
  "versions",
  "rollback",
  "remove",
  "changelog",
];

const RESULT = "subgraph version revision unchanged changes { criticality path message }";
const CHANGE = "criticality type path message";

/**
 * The registry answers in French; the command line says in English what each refusal means, and
 * which flag overrides it when one does. Codes not listed here print the registry's own message.
 */
const REFUSALS: Record<string, string> = {
  UNAUTHENTICATED: "this command needs a partner token or an admin key in HUB_TOKEN.",
  FORBIDDEN: "this token may not do that (a partner acts on its own subgraphs only).",
  RESERVED_SUBGRAPH: "this is one of the hub's own subgraphs: it cannot be published here.",
  RATE_LIMITED: "too many changes in a minute; try again shortly.",
  COMPOSITION_FAILED: "the schema does not compose with the other subgraphs; nothing changed.",
  HUB_SCHEMA_PROTECTED:
    "the change would take over or break fields of the hub's own subgraphs (refused, even with --force).",
  PARTNER_FIELD_NOT_NULLABLE:
    "fields added to the hub's types or to the root must be nullable, so that only they become null when the subgraph fails (refused, even with --force).",
  BREAKING_CHANGE:
    "the change breaks operations clients sent within REGISTRY_USAGE_DAYS; use --force to go ahead anyway.",
  SCHEMA_TOO_COMPLEX: "the schema is too large or too deep to check; nothing changed.",
  ROUTING_URL_REFUSED:
    "the routing URL is refused (scheme, or host outside REGISTRY_ALLOWED_HOSTS).",
  SDL_FETCH_FAILED: "no subgraph SDL could be fetched from _service { sdl } at the URL.",
  SDL_TOO_LARGE: "the SDL is larger than REGISTRY_MAX_SDL_BYTES.",
  ALREADY_EXISTS: "it already exists.",
  NOT_FOUND: "no such subgraph, version or app.",
  GRAPHQL_VALIDATION_FAILED:
    "operations of the manifest do not validate against the hub's public schema (each below); regenerate them against the current schema.",
};

function refusalText(code: string | undefined, message: string): string {
  return `${code ?? "ERROR"}: ${(code && REFUSALS[code]) || message}`;
}

export async function call<Data>(
  options: RegistryCliOptions,
  query: string,
  variables: Record<string, unknown>,
): Promise<Data> {
  if (!options.token)
    throw new UsageError("Set HUB_TOKEN to your partner token (or an admin key).");
  const response = await fetch(new URL("/admin/graphql", options.hubUrl), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${options.token}` },
    body: JSON.stringify({ query, variables }),
  }).catch(() => {
    throw new RegistryCommandFailed(`No hub answers at ${options.hubUrl} (set HUB_URL).`);
  });
  const body = (await response.json()) as { data?: Data; errors?: GraphQLError[] };
  if (body.errors?.length)
    throw new RegistryCommandFailed(body.errors.map(describeError).join("\n"));
  return body.data!;
}

/** A refusal as a partner needs it: every composition error, every broken operation. */
export function describeError(error: GraphQLError): string {
  const lines = [refusalText(error.extensions?.code, error.message)];
  for (const issue of error.extensions?.compositionErrors ?? []) lines.push(describeIssue(issue));
  for (const change of error.extensions?.changes ?? []) lines.push(describeChange(change));
  for (const field of error.extensions?.fields ?? []) lines.push(`  ${field}`);
  for (const operation of error.extensions?.operations ?? []) {
    const hash = operation.signature ?? operation.hash ?? "";
    if (operation.paths)
      lines.push(
        describeOperation({
          hash,
          name: operation.name,
          clientName: operation.clientName ?? null,
          clientVersion: operation.clientVersion ?? null,
          coordinates: operation.paths,
        }),
      );
    else
      lines.push(
        `  operation ${operation.name ?? hash.slice(0, 12)}: ${(operation.errors ?? []).join("; ")}`,
      );
  }
  return lines.join("\n");
}

const describeIssue = (issue: { code: string; message: string; subgraphs: string[] }) =>
  `  [${issue.code}] (${issue.subgraphs.join(", ") || "?"}) ${issue.message}`;

const describeChange = (change: { criticality: string; path: string | null; message: string }) =>
  `  ${change.criticality} ${change.path ?? ""}: ${change.message}`;

interface AffectedOperation {
  hash: string;
  name: string | null;
  clientName: string | null;
  clientVersion: string | null;
  coordinates: string[];
}

const describeOperation = (operation: AffectedOperation) =>
  `  breaks operation ${operation.name ?? operation.hash.slice(0, 12)} of client ${operation.clientName ? `${operation.clientName}${operation.clientVersion ? ` ${operation.clientVersion}` : ""}` : "(unknown)"} (${operation.coordinates.join(", ")})`;

/** `checkSubgraph`'s answer: what `hub subgraph check --json` prints. */
export interface SubgraphCheck {
  accepted: boolean;
  code: string | null;
  message: string | null;
  compositionErrors: { code: string; message: string; subgraphs: string[] }[];
  changes: { criticality: string; type: string; path: string | null; message: string }[];
  affectedOperations: AffectedOperation[];
}

const CHECK = `query($name: String!, $url: String, $sdl: String) { checkSubgraph(name: $name, url: $url, sdl: $sdl) {
  accepted code message compositionErrors { code message subgraphs } changes { ${CHANGE} }
  affectedOperations { hash name clientName clientVersion coordinates } } }`;

function printCheck(log: (line: string) => void, name: string, check: SubgraphCheck): void {
  const changes = `${check.changes.length} change${check.changes.length === 1 ? "" : "s"}`;
  log(
    check.accepted
      ? `${name}: the publication would be accepted (${changes}); nothing was stored`
      : `${name}: the publication would be refused; nothing was stored\n${refusalText(check.code ?? undefined, check.message ?? "")}`,
  );
  for (const issue of check.compositionErrors) log(describeIssue(issue));
  for (const change of check.changes) log(describeChange(change));
  for (const operation of check.affectedOperations) log(describeOperation(operation));
}

interface Outcome {
  subgraph: string;
  version: number | null;
  revision: number;
  unchanged: boolean;
  changes: { criticality: string; path: string | null; message: string }[];
}

function printOutcome(log: (line: string) => void, verb: string, outcome: Outcome): void {
  if (outcome.unchanged) {
    log(
      `${outcome.subgraph}: unchanged (version ${outcome.version} is live with this same schema, URL and deadline); nothing was published, supergraph ${outcome.revision} stays live`,
    );
    return;
  }
  log(
    `${outcome.subgraph}: ${verb}${outcome.version ? ` (version ${outcome.version})` : ""}; supergraph ${outcome.revision} is live`,
  );
  for (const change of outcome.changes)
    log(`  ${change.criticality} ${change.path ?? ""}: ${change.message}`);
}

export const need = (value: string | undefined, flag: string): string => {
  if (!value) throw new UsageError(`${flag} is required.`);
  return value;
};

const readSchema = (file: string): string => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`Cannot read the schema file ${file}.`);
  }
};

const wholeNumber = (value: string, flag: string): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UsageError(`${flag} takes a whole number.`);
  return number;
};

/** Runs `hub subgraph <verb>`; returns the exit code (`check`: 1 when it would be refused). */
export async function subgraphCommand(
  verb: string,
  args: RegistryCliArgs,
  options: RegistryCliOptions,
): Promise<number> {
  const { log } = options;
  const force = args.force ?? false;
  switch (verb) {
    case "check": {
      const name = need(args.name, "--name");
      if (!args.url && !args.schema) throw new UsageError("--url or --schema is required.");
      const { checkSubgraph } = await call<{ checkSubgraph: SubgraphCheck }>(options, CHECK, {
        name,
        url: args.url ?? null,
        sdl: args.schema ? readSchema(args.schema) : null,
      });
      if (args.json) process.stdout.write(`${JSON.stringify(checkSubgraph, null, 2)}\n`);
      else printCheck(log, name, checkSubgraph);
      return checkSubgraph.accepted ? 0 : 1;
    }
    case "publish": {
      const sdl = args.schema ? readSchema(args.schema) : null;
      const { publishSubgraph } = await call<{ publishSubgraph: Outcome }>(
        options,
        `mutation($name: String!, $url: String!, $sdl: String, $force: Boolean!, $timeoutMs: Int) { publishSubgraph(name: $name, url: $url, sdl: $sdl, force: $force, timeoutMs: $timeoutMs) { ${RESULT} } }`,
        {
          name: need(args.name, "--name"),
          url: need(args.url, "--url"),
          sdl,
          force,
          timeoutMs: args["timeout-ms"] ? wholeNumber(args["timeout-ms"], "--timeout-ms") : null,
        },
      );
      printOutcome(log, "published", publishSubgraph);
      return 0;
    }
    case "rollback": {
      const { rollbackSubgraph } = await call<{ rollbackSubgraph: Outcome }>(
        options,
        `mutation($name: String!, $version: Int!, $force: Boolean!) { rollbackSubgraph(name: $name, version: $version, force: $force) { ${RESULT} } }`,
        {
          name: need(args.name, "--name"),
          version: wholeNumber(need(args.version, "--version"), "--version"),
          force,
        },
      );
      printOutcome(log, "rolled back", rollbackSubgraph);
      return 0;
    }
    case "remove": {
      const { removeSubgraph } = await call<{ removeSubgraph: Outcome }>(
        options,
        `mutation($name: String!, $force: Boolean!) { removeSubgraph(name: $name, force: $force) { ${RESULT} } }`,
        { name: need(args.name, "--name"), force },
      );
      printOutcome(log, "removed", removeSubgraph);
      return 0;
    }
    case "list": {
      const { subgraphs } = await call<{
        subgraphs: {
          name: string;
          owner: string | null;
          status: string;
          routingUrl: string | null;
          version: number | null;
          publishedAt: string | null;
          health: string | null;
          breaker: string;
          timeoutMs: number;
        }[];
      }>(
        options,
        `{ subgraphs { name owner status routingUrl version publishedAt health breaker timeoutMs } }`,
        {},
      );
      if (subgraphs.length === 0) log("no subgraph published");
      for (const s of subgraphs) {
        log(
          `${s.name}  ${s.status === "active" ? (s.health ?? "") : "removed"}  v${s.version ?? "-"}  ${s.routingUrl ?? ""}  owner ${s.owner ?? "admin"}  ${s.publishedAt ?? ""}  deadline ${s.timeoutMs} ms  breaker ${s.breaker}`,
        );
      }
      return 0;
    }
    case "versions": {
      const { subgraphVersions } = await call<{
        subgraphVersions: {
          version: number;
          routingUrl: string;
          publishedBy: string;
          publisher: string | null;
          publishedAt: string;
          live: boolean;
        }[];
      }>(
        options,
        `query($name: String!) { subgraphVersions(name: $name) { version routingUrl publishedBy publisher publishedAt live } }`,
        { name: need(args.name, "--name") },
      );
      if (args.json) process.stdout.write(`${JSON.stringify(subgraphVersions, null, 2)}\n`);
      else
        for (const v of subgraphVersions)
          log(
            `v${v.version}${v.live ? "  live" : ""}  ${v.publishedAt}  by ${v.publisher ?? v.publishedBy}  ${v.routingUrl}`,
          );
      return 0;
    }
    case "changelog": {
      const { schemaChangelog } = await call<{
        schemaChangelog: {
          revision: number;
          publishedAt: string;
          publisher: string | null;
          subgraph: string;
          version: number | null;
          changes: SubgraphCheck["changes"];
        }[];
      }>(
        options,
        `query($last: Int!) { schemaChangelog(last: $last) { revision publishedAt publisher subgraph version changes { ${CHANGE} } } }`,
        { last: args.last ? wholeNumber(args.last, "--last") : 20 },
      );
      if (args.json) process.stdout.write(`${JSON.stringify(schemaChangelog, null, 2)}\n`);
      else {
        if (schemaChangelog.length === 0) log("no change published yet");
        for (const entry of schemaChangelog) {
          const what = entry.version === null ? "removed" : `v${entry.version}`;
          log(
            `supergraph ${entry.revision}  ${entry.publishedAt}  ${entry.subgraph} ${what}  by ${entry.publisher ?? "?"}  (${entry.changes.length} change${entry.changes.length === 1 ? "" : "s"})`,
          );
          for (const change of entry.changes) log(describeChange(change));
        }
      }
      return 0;
    }
    default:
      throw new UsageError(`Unknown command "subgraph ${verb}".`);
  }
}

export async function partnerCommand(
  verb: string | undefined,
  args: RegistryCliArgs,
  options: RegistryCliOptions,
): Promise<void> {
  if (verb === "create") {
    const { createPartner } = await call<{ createPartner: { id: string; token: string } }>(
      options,
      `mutation($id: ID!, $name: String!) { createPartner(id: $id, name: $name) { id token } }`,
      { id: need(args.id, "--id"), name: need(args.name, "--name") },
    );
    options.log(
      `partner ${createPartner.id} registered; its token is shown only now, give it to the partner:\n${createPartner.token}`,
    );
    return;
  }
  if (verb === "list") {
    const { partners } = await call<{ partners: { id: string; name: string }[] }>(
      options,
      `{ partners { id name } }`,
      {},
    );
    for (const partner of partners) options.log(`${partner.id}  "${partner.name}"`);
    return;
  }
  throw new UsageError(`Unknown command "partner ${verb ?? ""}".`);
}

/**
 * `hub key create|list|revoke` through a running hub's admin API: what the command does when the
 * embedded database is held by the hub (`HUB_TOKEN`: an admin key).
 */
export async function keyCommand(
  verb: string | undefined,
  argument: string | undefined,
  args: RegistryCliArgs & { role?: string | undefined; for?: string | undefined },
  options: RegistryCliOptions,
): Promise<void> {
  const { log } = options;
  if (verb === "create") {
    const { createApiKey } = await call<{ createApiKey: { id: string; key: string } }>(
      options,
      `mutation($name: String!, $role: String!, $actsFor: String) { createApiKey(name: $name, role: $role, actsFor: $actsFor) { id key } }`,
      {
        name: need(args.name, "--name"),
        role: need(args.role, "--role"),
        actsFor: args.for ?? null,
      },
    );
    log(`key ${createApiKey.id} created; it is shown only now, keep it safe:\n${createApiKey.key}`);
    return;
  }
  if (verb === "list") {
    const { apiKeys } = await call<{
      apiKeys: {
        id: string;
        name: string;
        role: string;
        actsFor: string | null;
        revokedAt: string | null;
      }[];
    }>(options, `{ apiKeys { id name role actsFor revokedAt } }`, {});
    for (const key of apiKeys)
      log(
        `${key.id}  ${key.role}${key.actsFor ? ` for ${key.actsFor}` : ""}  "${key.name}"  ${key.revokedAt ? `revoked ${key.revokedAt}` : "active"}`,
      );
    return;
  }
  if (verb === "revoke" && argument) {
    const { revokeApiKey } = await call<{ revokeApiKey: boolean }>(
      options,
      `mutation($id: ID!) { revokeApiKey(id: $id) }`,
      { id: argument },
    );
    log(revokeApiKey ? `key ${argument} revoked` : `no active key ${argument}`);
    return;
  }
  throw new UsageError(`Unknown command "key ${verb ?? ""}".`);
}
