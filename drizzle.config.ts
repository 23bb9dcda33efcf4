import { defineConfig } from "drizzle-kit";

/**
 * One PostgreSQL schema at a time, each with its own migrations folder:
 *   SUBGRAPH=directory npx drizzle-kit generate
 * (`npm run db:generate` does it for every one). The gateway's own schemas live in gateway/.
 */
const GATEWAY_SCHEMAS: Record<string, string> = {
  access: "./gateway/access",
  registry: "./gateway/registry",
  imports: "./imports",
};

const subgraph = process.env.SUBGRAPH;
if (!subgraph)
  throw new Error(
    "Set SUBGRAPH to the schema whose migrations to generate (e.g. SUBGRAPH=directory).",
  );
const folder = GATEWAY_SCHEMAS[subgraph] ?? `./subgraphs/${subgraph}`;

export default defineConfig({
  dialect: "postgresql",
  schema: `${folder}/tables.ts`,
  out: `${folder}/migrations`,
  schemaFilter: [subgraph],
});
