import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLog } from "./log.js";

function capture(env: NodeJS.ProcessEnv) {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { log: createLog(env, stream), lines: () => text.split("\n").filter(Boolean) };
}

describe("createLog", () => {
  it("writes one JSON object a line with LOG_FORMAT=json: time, level, message, fields, error", () => {
    const { log, lines } = capture({ LOG_FORMAT: "json" });
    log.info("gateway ready at http://127.0.0.1:4000/graphql", { port: 4000 });
    log.error("internal error", new Error("relation does not exist"));
    const [ready, failure] = lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines()).toHaveLength(2);
    expect(ready).toMatchObject({
      level: "info",
      msg: "gateway ready at http://127.0.0.1:4000/graphql",
      port: 4000,
      pid: process.pid,
    });
    expect(new Date(String(ready!.time)).toISOString()).toBe(ready!.time);
    expect(failure).toMatchObject({
      level: "error",
      msg: "internal error",
      err: { message: "relation does not exist", type: "Error" },
    });
  });

  it("writes plain lines otherwise", () => {
    const { log, lines } = capture({});
    log.info("gateway ready at http://127.0.0.1:4000/graphql");
    log.error("internal error", new Error("boom"));
    expect(lines()[0]).toBe("gateway ready at http://127.0.0.1:4000/graphql");
    expect(lines()[1]).toBe("internal error");
    expect(lines()[2]).toMatch(/^Error: boom/);
  });
});
