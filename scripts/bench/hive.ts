import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type ConstDirectiveNode, Kind, parse, visit } from "graphql";
import { IDENTITY_HEADER } from "../../lib/identity.js";
import { forwardOutput, type StartedProcess, whenReady } from "./startup.js";

/** Hive Gateway (MIT), the peer we compare with; installed for the bench only, never a dependency of the hub. */
const HIVE_GATEWAY = "@graphql-hive/gateway@2.15.1";
const FOLDER = resolve(".bench/hive-gateway");

/** Installs Hive Gateway into `.bench/hive-gateway` once (about 500 MB, half a minute). */
export function installHiveGateway(): string {
  const bin = join(FOLDER, "node_modules/@graphql-hive/gateway/dist/bin.js");
  const installed = join(FOLDER, "node_modules/@graphql-hive/gateway/package.json");
  const wanted = HIVE_GATEWAY.split("@").pop();
  if (existsSync(installed) && JSON.parse(readFileSync(installed, "utf8")).version === wanted)
    return bin;
  console.log(`installing ${HIVE_GATEWAY} into ${FOLDER}`);
  mkdirSync(FOLDER, { recursive: true });
  if (!existsSync(join(FOLDER, "package.json")))
    writeFileSync(join(FOLDER, "package.json"), '{ "private": true }\n');
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", FOLDER, HIVE_GATEWAY], {
    stdio: "inherit",
  });
  return bin;
}

/** How Hive Gateway runs in the race: its response cache and deduplication, or nothing but its defaults. */
export type HiveSetting = "best" | "defaults";

/**
 * The lifetimes the hub's cache hints give, for Hive Gateway's response cache: each
 * `@cacheControl(maxAge: N)` of the subgraphs' SDL, on a type or a field, in milliseconds. Hive
 * keeps an answer for the shortest lifetime among the types and fields it contains, as Apollo's
 * cache policy does; `ttl: 0` for the rest, as the hub caches nothing without a hint.
 */
export function hiveResponseCaching(subgraphSdls: readonly string[]) {
  // A type's lifetime under its name, a field's under `Type.field` (Hive's `ttlPerType` is deprecated).
  const ttlPerSchemaCoordinate: Record<string, number> = {};
  const maxAgeOf = (directives: readonly ConstDirectiveNode[] | undefined) => {
    const argument = directives
      ?.find((directive) => directive.name.value === "cacheControl")
      ?.arguments?.find((arg) => arg.name.value === "maxAge");
    return argument?.value.kind === Kind.INT ? Number(argument.value.value) * 1000 : undefined;
  };
  for (const sdl of subgraphSdls) {
    const typeHints = (node: {
      name: { value: string };
      directives?: readonly ConstDirectiveNode[];
      fields?: readonly { name: { value: string }; directives?: readonly ConstDirectiveNode[] }[];
    }) => {
      const typeTtl = maxAgeOf(node.directives);
      if (typeTtl !== undefined) ttlPerSchemaCoordinate[node.name.value] = typeTtl;
      for (const field of node.fields ?? []) {
        const fieldTtl = maxAgeOf(field.directives);
        if (fieldTtl !== undefined)
          ttlPerSchemaCoordinate[`${node.name.value}.${field.name.value}`] = fieldTtl;
      }
    };
    visit(parse(sdl), {
      ObjectTypeDefinition: typeHints,
      ObjectTypeExtension: typeHints,
      InterfaceTypeDefinition: typeHints,
    });
  }
  return { ttl: 0, ttlPerSchemaCoordinate };
}

/** The `gateway.config.mjs` of each setting, as docs/benchmarks.md prints it. */
export function hiveConfig(setting: HiveSetting): string {
  const forwardIdentity = `  // The hub's signed identity, from the client to the subgraphs (the bench signs it: Hive cannot read the hub's keys),
  // and the bench's service token, without which the hub's subgraphs answer no one but its gateways.
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      "${IDENTITY_HEADER}": request.headers.get("${IDENTITY_HEADER}") ?? "",
      authorization: \`Bearer \${process.env.HUB_SERVICE_TOKEN}\`,
    }),
  },`;
  if (setting === "defaults") return `export const gatewayConfig = {\n${forwardIdentity}\n};\n`;
  const sdls = readdirSync("schema/subgraphs").map((file) =>
    readFileSync(join("schema/subgraphs", file), "utf8"),
  );
  const caching = hiveResponseCaching(sdls);
  return `import InMemoryLRUCache from "@graphql-mesh/cache-inmemory-lru";

export const gatewayConfig = {
${forwardIdentity}
  // The store of the response cache. Its default (an LRU of 1,000 keys) cannot hold the portal:
  // each answer takes one key, plus two per entity it contains (for invalidation), some 80 for a
  // "près de chez moi" page, so 200 pages evict each other before any is asked for again.
  cache: new InMemoryLRUCache({ max: 1_000_000 }),
  // One cache for every client (nothing here is per user: the bench's reads are anonymous), with
  // the lifetimes of the subgraphs' @cacheControl hints, in ms.
  responseCaching: {
    session: () => null,
    ttl: ${caching.ttl},
    ttlPerSchemaCoordinate: ${JSON.stringify(caching.ttlPerSchemaCoordinate)},
  },
  // Identical subgraph calls in flight merged (Hive's default, stated).
  transportEntries: { "*.http": { options: { deduplicateInflightRequests: true } } },
};
`;
}

/**
 * Serves the hub's supergraph (its subgraph URLs pointed at the bench's) with Hive Gateway, one
 * process, in the given setting. Its configuration forwards the hub's signed identity header from the client to the
 * subgraphs: Hive Gateway cannot verify the hub's API keys, so the bench signs identities itself.
 */
export async function startHiveGateway(
  bin: string,
  supergraphSdl: string,
  port: number,
  setting: HiveSetting,
  serviceToken: string,
): Promise<StartedProcess> {
  const supergraphFile = join(FOLDER, "supergraph.graphql");
  writeFileSync(supergraphFile, supergraphSdl);
  const configFile = join(FOLDER, `gateway.${setting}.config.mjs`);
  writeFileSync(configFile, hiveConfig(setting));
  const child = spawn(
    process.execPath,
    [
      bin,
      "supergraph",
      supergraphFile,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--fork",
      "1",
      "-c",
      configFile,
    ],
    {
      cwd: FOLDER,
      env: { ...process.env, NODE_ENV: "production", HUB_SERVICE_TOKEN: serviceToken },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  forwardOutput(child, `hive-${setting}`);
  return whenReady(child, `http://127.0.0.1:${port}`, "/readiness");
}
