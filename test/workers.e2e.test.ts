import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiKey } from "../gateway/access/api-keys.js";
import { type DatabaseHandle, openDatabase } from "../lib/database.js";
import { request, testDatabaseEnv } from "./harness.js";
import { type HubProcess, startHubProcess } from "./hub-process.js";
import { REDIS_URL, redisAnswers } from "./redis.js";

const PORTAL = `query Portail($id: ID!) { territory(id: $id) { name platforms(first: 5) { totalCount } } }`;
const READY = /gateway worker (\d+) ready at (http:\/\/\S+)\/graphql/;

it("refuses GATEWAY_WORKERS on the embedded database, naming what to do", async () => {
  const hub = startHubProcess(["start"], {
    GATEWAY_WORKERS: "2",
    DATABASE_URL: "",
    DATA_DIR: "memory://",
  });
  expect(await hub.exited).toBe(1);
  expect(hub.output()).toContain("GATEWAY_WORKERS needs DATABASE_URL");
});

describe.skipIf(inject("testDatabase").driver !== "postgres")(
  "GATEWAY_WORKERS=2 on PostgreSQL",
  () => {
    let hub: HubProcess;
    let database: DatabaseHandle;
    let url: string;
    let pids: string[];

    beforeAll(async () => {
      const { DATABASE_URL: databaseUrl } = await testDatabaseEnv();
      database = await openDatabase({ url: databaseUrl });
      hub = startHubProcess(["start"], {
        GATEWAY_WORKERS: "2",
        DATABASE_URL: databaseUrl,
        HUB_IDENTITY_SECRET: "",
      });
      const ready = await hub.waitFor(READY, 2);
      pids = ready.map((match) => match[1]!);
      url = ready[0]![2]!;
    });
    afterAll(async () => {
      expect(await hub?.stop()).toBe(0);
      await database?.close();
    });

    it("serves one port from two processes, and /metrics counts the requests of both", async () => {
      expect(new Set(pids).size).toBe(2);
      expect(ready(pids)).toBe(true);
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          request<{ territory: { name: string } }, unknown>(`${url}/graphql`, PORTAL, {
            id: i % 2 ? "COMA:59355" : "COM:59350",
          }),
        ),
      );
      expect(answers.map((a) => a.data?.territory.name).sort()).toEqual([
        ...Array(15).fill("Lille"),
        ...Array(15).fill("Lomme"),
      ]);
      // A request is answered by Apollo Server or, once the first answer is kept, by the
      // response cache in front of it: between them, all 30, whichever worker served them.
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const sample = (pattern: RegExp) =>
        [...metrics.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
      const executed = sample(
        /^hub_graphql_requests_total\{operation="Portail",outcome="success"\} (\d+)/gm,
      );
      const cached = sample(/^hub_cache_lookups_total\{cache="response",result="hit"\} (\d+)/gm);
      expect(executed).toBeGreaterThan(0);
      expect(executed + cached).toBe(30);
    });

    it("passes a caller's identity from any worker to the subgraphs of the primary (one secret)", async () => {
      const { key } = await createApiKey(database.db, {
        name: "workers test",
        role: "exchange_member",
        actsFor: { kind: "member", id: "demo-person-3" },
      });
      const headers = { authorization: `Bearer ${key}` };
      for (let i = 0; i < 4; i++) {
        const loan = await request<{ requestLoan: { status: string } }, unknown>(
          `${url}/graphql`,
          `mutation Emprunter($start: LocalDate!, $end: LocalDate!) { requestLoan(productId: "demo-product-01", startDate: $start, endDate: $end) { status } }`,
          { start: `2032-0${i + 1}-01`, end: `2032-0${i + 1}-03` },
          headers,
        );
        expect(loan).toEqual({ data: { requestLoan: { status: "NEW" } } });
      }
    });

    it("replaces a worker that dies", async () => {
      process.kill(Number(pids[0]), "SIGKILL");
      const ready = await hub.waitFor(READY, 3);
      expect(ready[2]![1]).not.toBe(pids[0]);
      expect(
        (
          await request<{ territory: { name: string } }, unknown>(`${url}/graphql`, PORTAL, {
            id: "COMA:59355",
          })
        ).data?.territory.name,
      ).toBe("Lomme");
    });
  },
);

describe.skipIf(inject("testDatabase").driver !== "postgres" || !(await redisAnswers()))(
  "GATEWAY_WORKERS=2 with REDIS_URL",
  () => {
    it("counts one client's requests against one limit, whichever worker answers", async () => {
      const { DATABASE_URL: databaseUrl } = await testDatabaseEnv();
      const hub = startHubProcess(["start"], {
        GATEWAY_WORKERS: "2",
        DATABASE_URL: databaseUrl,
        REDIS_URL,
        RATE_LIMIT_PER_ADDRESS: "10",
        RATE_LIMIT_NAMESPACE: `workers-test-${process.pid}-${Date.now()}`,
      });
      try {
        const ready = await hub.waitFor(READY, 2);
        const url = ready[0]![2]!;
        // Sent at once, 20 requests open as many connections, which the primary hands to its workers in
        // turn: each worker sees about 10, which it would all answer if it counted alone.
        const answers = await Promise.all(
          Array.from({ length: 20 }, () =>
            request<{ territory: { name: string } }, unknown>(`${url}/graphql`, PORTAL, {
              id: "COMA:59355",
            }),
          ),
        );
        const codes = answers.map(
          (answer) => answer.data?.territory.name ?? answer.errors?.[0]?.extensions?.code,
        );
        expect(codes.sort()).toEqual([
          ...Array(10).fill("Lomme"),
          ...Array(10).fill("RATE_LIMITED"),
        ]);
        const metrics = await (await fetch(`${url}/metrics`)).text();
        const byWorker = [
          ...metrics.matchAll(
            /^hub_graphql_requests_total\{operation="Portail",outcome="success"\} (\d+)/gm,
          ),
        ];
        expect(byWorker.map((m) => Number(m[1]))).toEqual([10]);
      } finally {
        expect(await hub.stop()).toBe(0);
      }
    });
  },
);

/** Whether every process is alive. */
function ready(pids: string[]): boolean {
  return pids.every((pid) => {
    try {
      process.kill(Number(pid), 0);
      return true;
    } catch {
      return false;
    }
  });
}
