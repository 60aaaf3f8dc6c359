/** Lambda configuration from the environment, validated once at cold start. */
import { join } from 'node:path';

export interface HandlerConfig {
  regions: string[];
  policyDir: string;
}

export function readHandlerConfig(env: NodeJS.ProcessEnv): HandlerConfig {
  const home = env.AWS_REGION;
  const regions = (env.EKSGUARD_REGIONS ?? home ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (regions.length === 0) throw new Error('EKSGUARD_REGIONS (or AWS_REGION) must name at least one region');
  const bad = regions.find((r) => !/^[a-z]{2}(-[a-z]+)+-\d$/.test(r));
  if (bad) throw new Error(`EKSGUARD_REGIONS: "${bad}" is not an AWS region name (e.g. us-east-1)`);
  return { regions, policyDir: env.EKSGUARD_POLICY_DIR ?? join(env.LAMBDA_TASK_ROOT ?? process.cwd(), 'policies') };
}
