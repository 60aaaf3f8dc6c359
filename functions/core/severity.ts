/** The zod schema of a severity, for the files people write (policies, settings); the vocabulary is severities.ts. */
import { z } from 'zod';
import { SEVERITIES } from './severities.js';

export { SEVERITIES, severityRank } from './severities.js';
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;
