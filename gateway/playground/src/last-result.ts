/** The last answer GraphiQL received, for the panels that chart it or export it. */
type Listener = (result: unknown) => void;

let last: unknown = null;
const listeners = new Set<Listener>();

export const lastResult = {
  get: () => last,
  set(result: unknown) {
    last = result;
    for (const listener of listeners) listener(result);
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
