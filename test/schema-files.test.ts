import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "@graphql-codegen/cli";
import { describe, expect, it } from "vitest";
import codegenConfig from "../codegen.js";
import portalCodegenConfig from "../examples/portal/codegen.js";
import { renderSchemaFiles, SCHEMA_DIR } from "../gateway/schema-files.js";
import { subgraphs } from "../subgraphs/index.js";

describe("generated files are current", () => {
  it("schema/ holds the SDL every subgraph serves and their composition (run `npm run compose`)", async () => {
    for (const [path, content] of await renderSchemaFiles(subgraphs)) {
      expect(
        readFileSync(join(SCHEMA_DIR, path), "utf8"),
        `schema/${path} is stale: run npm run compose`,
      ).toBe(content);
    }
  });

  it("operations/generated matches the operations and the API schema (run `npm run codegen`)", async () => {
    const outputs = await generate({ ...codegenConfig, silent: true }, false);
    for (const output of outputs) {
      expect(
        readFileSync(output.filename, "utf8"),
        `${output.filename} is stale: run npm run codegen`,
      ).toBe(output.content);
    }
  });

  it("examples/portal/generated is what docs/portals.md's codegen command writes", async () => {
    const outputs = await generate({ ...portalCodegenConfig, silent: true }, false);
    expect(outputs.map((o: { filename: string }) => o.filename)).toContain(
      "examples/portal/generated/persisted-documents.json",
    );
    for (const output of outputs) {
      expect(
        readFileSync(output.filename, "utf8"),
        `${output.filename} is stale: run npx graphql-codegen --config examples/portal/codegen.ts`,
      ).toBe(output.content);
    }
  });
});
