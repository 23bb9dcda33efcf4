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
    }[];
    fields?: string[];
  };
}

export class RegistryCommandFailed extends Error {}

/** `hub subgraph <verb>`: any other word names one of the hub's own subgraphs to serve. */
export const REGISTRY_VERBS = ["publish", "list", "versions", "rollback", "remove"];

const RESULT = "subgraph version revision changes { criticality path message }";

export async function call<Data>(
  options: RegistryCliOptions,
  query: string,
  variables: Record<string, unknown>,
): Promise<Data> {
  if (!options.token)
    throw new RegistryCommandFailed("Set HUB_TOKEN to your partner token (or an admin key).");
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
  const lines = [`${error.extensions?.code ?? "ERROR"}: ${error.message}`];
  for (const issue of error.extensions?.compositionErrors ?? [])
    lines.push(`  [${issue.code}] (${issue.subgraphs.join(", ") || "?"}) ${issue.message}`);
  for (const change of error.extensions?.changes ?? [])
    lines.push(`  ${change.criticality} ${change.path ?? ""}: ${change.message}`);
  for (const field of error.extensions?.fields ?? []) lines.push(`  ${field}`);
  for (const operation of error.extensions?.operations ?? []) {
    const name = operation.name ?? (operation.signature ?? operation.hash ?? "").slice(0, 12);
    if (operation.paths)
      lines.push(
        `  breaks operation ${name}${operation.clientName ? ` of ${operation.clientName}` : ""} (${operation.paths.join(", ")})`,
      );
    else lines.push(`  operation ${name}: ${(operation.errors ?? []).join("; ")}`);
  }
  return lines.join("\n");
}

interface Outcome {
  subgraph: string;
  version: number | null;
  revision: number;
  changes: { criticality: string; path: string | null; message: string }[];
}

function printOutcome(log: (line: string) => void, verb: string, outcome: Outcome): void {
  log(
    `${outcome.subgraph}: ${verb}${outcome.version ? ` (version ${outcome.version})` : ""}; supergraph ${outcome.revision} is live`,
  );
  for (const change of outcome.changes)
    log(`  ${change.criticality} ${change.path ?? ""}: ${change.message}`);
}

export const need = (value: string | undefined, flag: string): string => {
  if (!value) throw new RegistryCommandFailed(`${flag} is required.`);
  return value;
};

export async function subgraphCommand(
  verb: string,
  args: RegistryCliArgs,
  options: RegistryCliOptions,
): Promise<void> {
  const { log } = options;
  const force = args.force ?? false;
  switch (verb) {
    case "publish": {
      const sdl = args.schema ? readFileSync(args.schema, "utf8") : null;
      const { publishSubgraph } = await call<{ publishSubgraph: Outcome }>(
        options,
        `mutation($name: String!, $url: String!, $sdl: String, $force: Boolean!, $timeoutMs: Int) { publishSubgraph(name: $name, url: $url, sdl: $sdl, force: $force, timeoutMs: $timeoutMs) { ${RESULT} } }`,
        {
          name: need(args.name, "--name"),
          url: need(args.url, "--url"),
          sdl,
          force,
          timeoutMs: args["timeout-ms"] ? Number(args["timeout-ms"]) : null,
        },
      );
      return printOutcome(log, "published", publishSubgraph);
    }
    case "rollback": {
      const { rollbackSubgraph } = await call<{ rollbackSubgraph: Outcome }>(
        options,
        `mutation($name: String!, $version: Int!, $force: Boolean!) { rollbackSubgraph(name: $name, version: $version, force: $force) { ${RESULT} } }`,
        {
          name: need(args.name, "--name"),
          version: Number(need(args.version, "--version")),
          force,
        },
      );
      return printOutcome(log, "rolled back", rollbackSubgraph);
    }
    case "remove": {
      const { removeSubgraph } = await call<{ removeSubgraph: Outcome }>(
        options,
        `mutation($name: String!, $force: Boolean!) { removeSubgraph(name: $name, force: $force) { ${RESULT} } }`,
        { name: need(args.name, "--name"), force },
      );
      return printOutcome(log, "removed", removeSubgraph);
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
      return;
    }
    case "versions": {
      const { subgraphVersions } = await call<{
        subgraphVersions: {
          version: number;
          routingUrl: string;
          publishedBy: string;
          publishedAt: string;
        }[];
      }>(
        options,
        `query($name: String!) { subgraphVersions(name: $name) { version routingUrl publishedBy publishedAt } }`,
        { name: need(args.name, "--name") },
      );
      for (const v of subgraphVersions)
        log(`v${v.version}  ${v.publishedAt}  by ${v.publishedBy}  ${v.routingUrl}`);
      return;
    }
    default:
      throw new RegistryCommandFailed(`Unknown command "subgraph ${verb}".`);
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
  throw new RegistryCommandFailed(`Unknown command "partner ${verb ?? ""}".`);
}
