import { defineConfig } from "drizzle-kit";

/**
 * One subgraph at a time, each with its own migrations folder:
 *   SUBGRAPH=directory npx drizzle-kit generate
 * (`npm run db:generate` does it for every subgraph).
 */
const subgraph = process.env.SUBGRAPH;
if (!subgraph) throw new Error("Set SUBGRAPH to the subgraph whose migrations to generate (e.g. SUBGRAPH=directory).");

export default defineConfig({
  dialect: "postgresql",
  schema: `./subgraphs/${subgraph}/tables.ts`,
  out: `./subgraphs/${subgraph}/migrations`,
  schemaFilter: [subgraph],
});
