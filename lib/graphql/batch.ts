import { sql } from "drizzle-orm";
import { type Database, resultRows } from "../database.js";
import { type JsonSelect, jsonRowsOf } from "./json-rows.js";

/** Runs a select in the request's next statement, with the others asked for in the same turn. */
export type Select = <Row>(query: JsonSelect<Row>) => Promise<Row[]>;

/**
 * One per request: what lets a subgraph call cost one SQL statement. Its loaders take `schedule`
 * as DataLoader's `batchScheduleFn`, so that they all dispatch in one turn; the selects their
 * batch functions (and the resolvers) ask for in that turn go out as one statement,
 * `select (json of select 1) as r0, (json of select 2) as r1...`, each decoded as drizzle would.
 */
export interface RequestBatch {
  select: Select;
  schedule: (dispatch: () => void) => void;
}

interface Waiting {
  query: JsonSelect<unknown>;
  resolve: (rows: unknown[]) => void;
  reject: (error: unknown) => void;
}

interface Turn {
  dispatches: (() => void)[];
  selects: Waiting[];
}

/**
 * DataLoader's own default schedule: after the promise jobs already queued (the resolvers of one
 * level of the operation), without waiting for the event loop to come round as `setImmediate`
 * would, behind the database calls of other requests.
 */
const afterPromiseJobs = (run: () => void) =>
  void Promise.resolve().then(() => process.nextTick(run));

export function createRequestBatch(db: Database): RequestBatch {
  /** The turn collecting dispatches and selects, until it runs. */
  let next: Turn | undefined;
  /** The turn whose loaders are dispatching: their batch functions' selects join its statement. */
  let dispatching: Turn | undefined;

  const turn = (): Turn => {
    if (next) return next;
    const created: Turn = { dispatches: [], selects: [] };
    next = created;
    afterPromiseJobs(() => run(created));
    return created;
  };

  const run = (current: Turn) => {
    next = undefined;
    dispatching = current;
    try {
      // DataLoader catches what its batch function throws: a dispatch does not throw.
      for (const dispatch of current.dispatches) dispatch();
    } finally {
      dispatching = undefined;
    }
    void send(current.selects);
  };

  const runAlone = ({ query, resolve, reject }: Waiting) => {
    query.then(resolve, reject);
  };

  const send = async (selects: Waiting[]) => {
    if (selects.length <= 1) return selects.forEach(runAlone);
    try {
      const parts = selects.map(({ query }) => jsonRowsOf(query));
      const columns = parts.map(
        (part, index) => sql`${part.sql} as ${sql.identifier(`r${index}`)}`,
      );
      const [row] = resultRows<Record<string, unknown>>(
        await db.execute(sql`select ${sql.join(columns, sql`, `)}`),
      );
      const decoded = parts.map((part, index) => part.decode(row![`r${index}`]));
      for (const [index, { resolve }] of selects.entries()) resolve(decoded[index]!);
    } catch {
      // One failing select must not fail its siblings: each runs again alone and keeps its own error.
      selects.forEach(runAlone);
    }
  };

  return {
    select: <Row>(query: JsonSelect<Row>) =>
      new Promise<Row[]>((resolve, reject) => {
        (dispatching ?? turn()).selects.push({ query, resolve, reject } as Waiting);
      }),
    schedule: (dispatch) => {
      turn().dispatches.push(dispatch);
    },
  };
}
