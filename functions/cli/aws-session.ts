/**
 * What the CLI settles about AWS before it scans: the regions (checked against the regions the
 * SDK knows, in every partition), the profile, and credentials that actually resolve. Each
 * problem is named with how to fix it, before any call is made.
 */
import { partition } from '@aws-sdk/core/client';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { loadSharedConfigFiles } from '@smithy/core/config';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AwsAccessError, UsageError } from './args.js';

/** True when the SDK's partition data lists the region (not merely matches a partition's pattern). */
export const isKnownRegion = (region: string): boolean => !region.startsWith('aws-') && 'description' in partition(region);

const REGION_CHARACTERS = 'abcdefghijklmnopqrstuvwxyz0123456789-';

/** Known regions one edit away (a letter added, dropped, changed or two swapped): the likely meant one. */
export function regionsNear(typo: string): string[] {
  const candidates = new Set<string>();
  for (let i = 0; i <= typo.length; i++) {
    for (const c of REGION_CHARACTERS) {
      candidates.add(typo.slice(0, i) + c + typo.slice(i));
      if (i < typo.length) candidates.add(typo.slice(0, i) + c + typo.slice(i + 1));
    }
    if (i < typo.length) candidates.add(typo.slice(0, i) + typo.slice(i + 1));
    if (i + 1 < typo.length) candidates.add(typo.slice(0, i) + typo[i + 1] + typo[i] + typo.slice(i + 2));
  }
  candidates.delete(typo);
  return [...candidates].filter(isKnownRegion).sort();
}

export function checkRegions(regions: readonly string[]): void {
  for (const region of regions) {
    if (isKnownRegion(region)) continue;
    const near = regionsNear(region);
    throw new UsageError(`--region: "${region}" is not an AWS region${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`);
  }
}

/** Regions from --region, else AWS_REGION / AWS_DEFAULT_REGION, else the profile's `region`. */
export async function resolveRegions(requested: readonly string[], env: NodeJS.ProcessEnv, profile: string | undefined): Promise<string[]> {
  const regions = requested
    .flatMap((r) => r.split(','))
    .map((r) => r.trim())
    .filter(Boolean);
  if (regions.length === 0) {
    const fromEnv = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    const configured = fromEnv ?? (await profileRegion(profile));
    if (!configured) throw new UsageError('no region: pass --region, set AWS_REGION, or set region in your AWS profile (aws configure set region eu-west-1)');
    regions.push(configured);
  }
  checkRegions(regions);
  return [...new Set(regions)];
}

async function profileRegion(profile: string | undefined): Promise<string | undefined> {
  const { configFile } = await loadSharedConfigFiles();
  return configFile[profile ?? 'default']?.region;
}

async function checkProfileExists(profile: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles();
  if (profile in configFile || profile in credentialsFile) return;
  const where = `${env.AWS_CONFIG_FILE ?? '~/.aws/config'} or ${env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'}`;
  const known = [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])].filter((name) => !name.includes('.'));
  throw new AwsAccessError(
    `AWS profile "${profile}" is not in ${where}` +
      (known.length ? ` (profiles there: ${known.sort().join(', ')})` : ' (no profiles there)') +
      `: create it with \`aws configure --profile ${profile}\` or \`aws configure sso\`, or pass another --profile`,
  );
}

/**
 * The credential chain the SDK would use (environment, profile, SSO, process, web identity,
 * container or instance role), resolved once now so that a missing or broken source is reported
 * before the scan, and handed to every client so it is not resolved again.
 */
export async function resolveCredentials(profile: string | undefined, env: NodeJS.ProcessEnv): Promise<AwsCredentialIdentityProvider> {
  if (profile) await checkProfileExists(profile, env);
  const provider = defaultProvider(profile ? { profile } : {});
  try {
    await provider();
  } catch (error) {
    const reason = (error as Error).message;
    throw new AwsAccessError(
      profile
        ? `could not get credentials from AWS profile "${profile}": ${reason} (for an SSO profile: \`aws sso login --profile ${profile}\`)`
        : `no AWS credentials found (${reason}): set AWS_PROFILE or pass --profile, run \`aws configure\` or \`aws sso login\`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    );
  }
  // The chain memoizes what it found and refreshes it before it expires.
  return provider;
}
