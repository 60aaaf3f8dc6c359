'use strict';
/**
 * The deployment region when neither `--region` nor AWS_REGION / AWS_DEFAULT_REGION gives one:
 * the `region` of the AWS profile the deploy uses (`--aws-profile`, else AWS_PROFILE, else
 * `default`), read from the AWS config file (AWS_CONFIG_FILE, default ~/.aws/config) as the AWS
 * CLI and SDK do. No region anywhere is an error: a stack never lands in us-east-1 by accident.
 *
 * Used by serverless.yml as the last fallback of `provider.region`; the osls `file` source calls
 * the exported function with `{ options }` (see infra/config-rules.cjs).
 */
const { loadSharedConfigFiles } = require('@smithy/core/config');

async function profileRegion({ options = {} } = {}) {
  const profile = options['aws-profile'] || options.profile || process.env.AWS_PROFILE || 'default';
  const { configFile } = await loadSharedConfigFiles();
  const region = configFile[profile]?.region;
  if (region) return region;
  throw new Error(`no deployment region: pass --region, set AWS_REGION, or set region in the AWS profile "${profile}" (aws configure set region eu-west-1 --profile ${profile})`);
}

module.exports = profileRegion;
