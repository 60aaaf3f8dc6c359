/** How severe a finding is: the shared vocabulary of policies, results, state, reports and alerts. */
import { z } from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/** Rank for comparisons: higher is more severe. */
export const severityRank = (s: Severity): number => SEVERITIES.length - SEVERITIES.indexOf(s);
