import { useCallback, useEffect, useState } from "react";
import { AdminError, admin } from "./admin.js";

export interface Loaded<Data> {
  data: Data | null;
  error: AdminError | null;
  loading: boolean;
  reload(): void;
}

/** Runs an admin query when the component shows and whenever `variables` change. */
export function useAdmin<Data>(
  query: string | null,
  variables: Record<string, unknown> = {},
): Loaded<Data> {
  const [state, setState] = useState<{ data: Data | null; error: AdminError | null }>({
    data: null,
    error: null,
  });
  const [loading, setLoading] = useState(query !== null);
  const [round, setRound] = useState(0);
  const key = JSON.stringify(variables);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the variables; `round` asks again.
  useEffect(() => {
    if (query === null) return;
    let current = true;
    setLoading(true);
    admin<Data>(query, JSON.parse(key))
      .then((data) => current && setState({ data, error: null }))
      .catch(
        (error: unknown) =>
          current &&
          setState({
            data: null,
            error: error instanceof AdminError ? error : new AdminError(String(error), null),
          }),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [query, key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, loading, reload };
}
