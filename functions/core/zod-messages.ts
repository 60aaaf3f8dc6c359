/** Error messages for event validation that say what was expected and what arrived. */

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
