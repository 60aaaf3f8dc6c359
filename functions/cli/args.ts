/** Argument parsing shared by the CLI commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SEVERITIES, type Severity } from '../core/severity.js';

export class UsageError extends Error {}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function severityOption(value: string | undefined, fallback: Severity): Severity {
  if (value === undefined) return fallback;
  if (!(SEVERITIES as readonly string[]).includes(value)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')} (got "${value}")`);
  }
  return value as Severity;
}

/** --policies, --config and --exceptions, shared by scan and the policies commands. */
export const POLICY_SET_OPTIONS = {
  policies: { type: 'string' },
  config: { type: 'string' },
  exceptions: { type: 'string' },
} as const;

export function policySetFiles(values: { policies?: string; config?: string; exceptions?: string }, defaultDir: string) {
  return {
    policyDir: values.policies ?? defaultDir,
    ...(values.config ? { configFile: values.config } : {}),
    ...(values.exceptions ? { exceptionsFile: values.exceptions } : {}),
  };
}
