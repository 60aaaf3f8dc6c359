/**
 * Results of a batched look-up by id. An id can be found, failed (the call that should have
 * returned it failed: reason kept) or neither (it does not exist: a stale reference).
 */
export interface Lookup<T> {
  found: Map<string, T>;
  failed: Map<string, string>;
}

export const emptyLookup = <T>(): Lookup<T> => ({ found: new Map(), failed: new Map() });

/** A readable, secret-free reason: the error name, its message and the API call. */
export function describeError(error: unknown, operation: string): string {
  const e = error as { name?: string; message?: string };
  const name = e?.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return `${operation}: ${name}${e?.message ?? String(error)}`;
}

/** The first failure among ids, if any. */
export function firstFailure(lookup: Lookup<unknown>, ids: Iterable<string>): string | undefined {
  for (const id of ids) {
    const reason = lookup.failed.get(id);
    if (reason) return reason;
  }
  return undefined;
}
