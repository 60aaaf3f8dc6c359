/** How severe a finding is: the shared vocabulary of policies, results, state, reports and alerts (its zod schema: severity.ts). */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for comparisons: higher is more severe. */
export const severityRank = (s: Severity): number => SEVERITIES.length - SEVERITIES.indexOf(s);
