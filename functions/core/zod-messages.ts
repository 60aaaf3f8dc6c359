/** Error messages for event validation that say what was expected and what arrived. */
import type { z } from 'zod';

/** A short, safe rendering of an unexpected value for an error message. */
export const show = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
};

/** A zod `error` callback: "expected <what>, got <value>". */
export const expected = (what: string) => (issue: { input?: unknown }) => `expected ${what}, got ${show(issue.input)}`;

/** Validates `value`; on failure, one "path: problem" per issue, joined by "; ", paths under `prefix`. */
export function validationProblems<T extends z.ZodType>(schema: T, value: unknown, prefix: string): { data: z.infer<T> } | { problems: string } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { data: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${path ? `${path}: ` : ''}${issue.message}`;
  });
  return { problems: problems.join('; ') };
}
