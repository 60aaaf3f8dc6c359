/**
 * Validation of the events the Lambda functions receive (CloudTrail changes through SQS, AWS Config
 * rule invocations): each field says what it expects, and a problem reads "path: expected <what>,
 * got <value>". Small on purpose: these checks run in the Lambda bundles, where zod (about 200 KB
 * of the bundle) would cost every cold start; the files people write keep their zod schemas.
 */

/** One problem: where (keys from the event's root) and what. */
export interface Issue {
  path: string[];
  message: string;
}

/** Checks a value at `path`: returns it (narrowed, possibly converted) or records issues and returns undefined. */
export type Check<T> = (value: unknown, path: readonly string[], issues: Issue[]) => T;
export type Checked<C> = C extends Check<infer T> ? T : never;

/** A short, safe rendering of an unexpected value for an error message. */
export const show = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
};

const problem = (issues: Issue[], path: readonly string[], what: string, value: unknown): never => {
  issues.push({ path: [...path], message: `expected ${what}, got ${show(value)}` });
  return undefined as never;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string; `nonEmpty`, `pattern` and `test` narrow it further (one message for every way it fails). */
export const string =
  (what: string, options: { nonEmpty?: boolean; pattern?: RegExp; test?: (s: string) => boolean } = {}): Check<string> =>
  (value, path, issues) =>
    typeof value === 'string' && (!options.nonEmpty || value.length > 0) && (!options.pattern || options.pattern.test(value)) && (!options.test || options.test(value))
      ? value
      : problem(issues, path, what, value);

export const boolean =
  (what: string): Check<boolean> =>
  (value, path, issues) =>
    typeof value === 'boolean' ? value : problem(issues, path, what, value);

export const oneOf =
  <const T extends readonly string[]>(values: T, what: string): Check<T[number]> =>
  (value, path, issues) =>
    values.includes(value as string) ? (value as T[number]) : problem(issues, path, what, value);

/** Any JSON object (not null, not an array). */
export const record =
  (what: string): Check<Record<string, unknown>> =>
  (value, path, issues) =>
    isRecord(value) ? value : problem(issues, path, what, value);

export const array =
  (what: string): Check<unknown[]> =>
  (value, path, issues) =>
    Array.isArray(value) ? value : problem(issues, path, what, value);

export const unknown: Check<unknown> = (value) => value;

export const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (value, path, issues) =>
    value === undefined ? undefined : check(value, path, issues);

/** null and undefined pass as they are. */
export const nullish =
  <T>(check: Check<T>): Check<T | null | undefined> =>
  (value, path, issues) =>
    value === undefined || value === null ? value : check(value, path, issues);

/** The checked value converted by `convert` (only when it passed). */
export const map =
  <T, U>(check: Check<T>, convert: (value: T) => U): Check<U> =>
  (value, path, issues) => {
    const before = issues.length;
    const checked = check(value, path, issues);
    return issues.length === before ? convert(checked) : (undefined as never);
  };

/** A checked value that must also pass `test`, with its own message. */
export const refine =
  <T>(check: Check<T>, test: (value: T) => boolean, what: string): Check<T> =>
  (value, path, issues) => {
    const before = issues.length;
    const checked = check(value, path, issues);
    return issues.length > before || test(checked) ? checked : problem(issues, path, what, value);
  };

/** An object with these fields (every field checked, each problem reported); other keys are dropped. */
export const object =
  <S extends Record<string, Check<unknown>>>(shape: S, what: string): Check<{ [K in keyof S]: Checked<S[K]> }> =>
  (value, path, issues) => {
    if (!isRecord(value)) return problem(issues, path, what, value);
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(shape)) {
      const field = check(value[key], [...path, key], issues);
      if (field !== undefined) out[key] = field;
    }
    return out as { [K in keyof S]: Checked<S[K]> };
  };

/** Checks `value`; on failure the issues, and one "path: problem" per issue joined by "; ", paths under `prefix`. */
export function validate<T>(check: Check<T>, value: unknown, prefix: string): { data: T } | { issues: Issue[]; problems: string } {
  const issues: Issue[] = [];
  const data = check(value, [], issues);
  if (issues.length === 0) return { data };
  const problems = issues.map((issue) => {
    const path = [prefix, ...issue.path].filter(Boolean).join('.');
    return `${path ? `${path}: ` : ''}${issue.message}`;
  });
  return { issues, problems: problems.join('; ') };
}
