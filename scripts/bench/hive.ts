import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
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

/**
 * Serves the hub's supergraph (its subgraph URLs pointed at the bench's) with Hive Gateway, one
 * process. Its configuration forwards the hub's signed identity header from the client to the
 * subgraphs: Hive Gateway cannot verify the hub's API keys, so the bench signs identities itself;
 * anonymous calls carry the bench's service token, as the subgraphs answer nobody else.
 */
export async function startHiveGateway(
  bin: string,
  supergraphSdl: string,
  port: number,
  serviceToken: string,
): Promise<StartedProcess> {
  const supergraphFile = join(FOLDER, "supergraph.graphql");
  writeFileSync(supergraphFile, supergraphSdl);
  const configFile = join(FOLDER, "gateway.config.mjs");
  writeFileSync(
    configFile,
    `export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      "${IDENTITY_HEADER}": request.headers.get("${IDENTITY_HEADER}") ?? "",
      authorization: "Bearer ${serviceToken}",
    }),
  },
};
`,
  );
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
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  forwardOutput(child, "hive");
  return whenReady(child, `http://127.0.0.1:${port}`, "/readiness");
}
