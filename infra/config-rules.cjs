'use strict';
/**
 * One AWS Config custom Lambda rule per eksguard policy, as CloudFormation resources.
 *
 * Used by serverless.yml as `resources: [ ..., ${file(infra/config-rules.cjs)} ]`. The Serverless
 * Framework v3 (osls) `file` variable source `require`s a .js/.cjs file and, when it exports a plain
 * function, calls it with `{ options, resolveConfigurationProperty, resolveVariable }` and uses the
 * (awaited) result (node_modules/osls/lib/configuration/variables/sources/file.js). Plain CommonJS,
 * no TypeScript: it runs inside the framework at package time.
 *
 * Contract (AWS::Config::ConfigRule):
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-config-configrule.html
 * - ConfigRuleName: 1..128 characters, pattern `.*\S.*`, change requires replacement
 *   (https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html); other Config APIs
 *   (ComplianceByConfigRule) cap rule names at 64, so names are kept to 64.
 * - Description: at most 256 characters.
 * - Scope.ComplianceResourceTypes: [AWS::EKS::Cluster].
 * - Source: Owner CUSTOM_LAMBDA, SourceIdentifier the Lambda ARN, SourceDetails (at most 25) of
 *   {EventSource: aws.config, MessageType, MaximumExecutionFrequency (ScheduledNotification only)}
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-config-configrule-sourcedetail.html).
 *   Change-triggered custom rules subscribe to both ConfigurationItemChangeNotification and
 *   OversizedConfigurationItemChangeNotification
 *   (https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_python-sample.html).
 * - MaximumExecutionFrequency: One_Hour | Three_Hours | Six_Hours | Twelve_Hours | TwentyFour_Hours.
 * - InputParameters: a JSON object, passed to the function as the `ruleParameters` JSON string.
 * - The rule depends on the Lambda permission for config.amazonaws.com (the AWS example uses
 *   DependsOn for the same reason): here `ConfigRuleInvokePermission`.
 * - Logical ids: alphanumeric (A-Za-z0-9) and unique in the template.
 *
 * The Lambda is the serverless function `config-rule`; osls names its resource
 * getNormalizedFunctionName('config-rule') + 'LambdaFunction' = 'ConfigDashruleLambdaFunction'
 * ('-' becomes 'Dash', first letter upper-cased: node_modules/osls/lib/plugins/aws/lib/naming.js).
 *
 * Policies: every `<id>.yaml` directly in policies/ (the loader's rule, /^[^.]+\.ya?ml$/), so
 * `*.test.yaml`, settings/ and testdata/ are not policies. A policy disabled in the eksguard
 * configuration still gets its rule; the function reports it NOT_APPLICABLE.
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const POLICY_FILE = /^[^.]+\.ya?ml$/;
const POLICY_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const RULE_NAME_PREFIX = 'eksguard-';
const MAX_RULE_NAME_LENGTH = 64;
const MAX_DESCRIPTION_LENGTH = 256;
const MAX_LOGICAL_ID_LENGTH = 255;
const LAMBDA_LOGICAL_ID = 'ConfigDashruleLambdaFunction';
const PERMISSION_LOGICAL_ID = 'ConfigRuleInvokePermission';
const RESOURCE_TYPE = 'AWS::EKS::Cluster';
const FREQUENCIES = ['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours'];
const DEFAULT_FREQUENCY = 'TwentyFour_Hours';
/** serverless.yml `params` key (or `--param="configRuleFrequency=Six_Hours"`) for the periodic evaluation. */
const FREQUENCY_PARAM = 'configRuleFrequency';
const DEFAULT_POLICY_DIR = path.join(__dirname, '..', 'policies');
/** serverless.yml `params` key (`--param="configRules=false"`): deploy the scan and alerts without the Config rules. */
const ENABLED_PARAM = 'configRules';

/** `true`/`false` as YAML or `--param` gives it (a boolean or its string); anything else fails at package time. */
function parseSwitch(value) {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`config rules: ${ENABLED_PARAM} must be true or false, got ${JSON.stringify(value)}`);
}

/** `endpoint-public-access-disabled` → `ConfigRuleEndpointPublicAccessDisabled`. */
function logicalIdFor(policyId) {
  const words = policyId.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `ConfigRule${words.map((w) => w[0].toUpperCase() + w.slice(1)).join('')}`;
}

function ruleNameFor(policyId) {
  return `${RULE_NAME_PREFIX}${policyId}`;
}

function truncate(text, max) {
  const clean = String(text).replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space >= max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:-]+$/, '')}…`;
}

function policyFiles(policyDir) {
  let names;
  try {
    names = fs.readdirSync(policyDir, { withFileTypes: true });
  } catch (error) {
    throw new Error(`config rules: cannot read the policy directory ${policyDir}: ${error.message}`);
  }
  const files = names
    .filter((entry) => entry.isFile() && POLICY_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  if (files.length === 0) throw new Error(`config rules: no policy files (<id>.yaml) in ${policyDir}`);
  return files;
}

function readPolicy(policyDir, file) {
  const where = path.join(policyDir, file);
  const id = file.replace(/\.ya?ml$/, '');
  let document;
  try {
    document = YAML.parse(fs.readFileSync(where, 'utf8'));
  } catch (error) {
    throw new Error(`config rules: ${where}: not valid YAML: ${error.message}`);
  }
  if (typeof document !== 'object' || document === null) throw new Error(`config rules: ${where}: expected a policy document`);
  if (!POLICY_ID.test(id)) throw new Error(`config rules: ${where}: the file name "${id}" is not a policy id (lower-case words separated by dashes)`);
  if (document.id !== id) throw new Error(`config rules: ${where}: id "${document.id}" must equal the file name "${id}"`);
  if (typeof document.title !== 'string' || !document.title.trim()) throw new Error(`config rules: ${where}: title is missing`);
  if (typeof document.severity !== 'string' || !document.severity) throw new Error(`config rules: ${where}: severity is missing`);
  return { id, title: document.title, severity: document.severity };
}

/**
 * The CloudFormation resources: `{ Resources: { ConfigRule<Id>: AWS::Config::ConfigRule } }`,
 * one per policy file in `policyDir`, in file-name order.
 * @param {string} [policyDir] default: policies/ beside infra/
 * @param {{ frequency?: string }} [settings] MaximumExecutionFrequency of the periodic evaluation
 */
function buildConfigRules(policyDir = DEFAULT_POLICY_DIR, settings = {}) {
  const frequency = settings.frequency ?? DEFAULT_FREQUENCY;
  if (!FREQUENCIES.includes(frequency)) {
    throw new Error(`config rules: ${FREQUENCY_PARAM} must be one of ${FREQUENCIES.join(', ')}, got ${JSON.stringify(frequency)}`);
  }
  const Resources = {};
  const taken = new Map();
  for (const file of policyFiles(policyDir)) {
    const policy = readPolicy(policyDir, file);
    const logicalId = logicalIdFor(policy.id);
    const ruleName = ruleNameFor(policy.id);
    if (ruleName.length > MAX_RULE_NAME_LENGTH) {
      throw new Error(`config rules: policy id "${policy.id}" is too long: the rule name ${ruleName} has ${ruleName.length} characters (at most ${MAX_RULE_NAME_LENGTH})`);
    }
    if (logicalId.length > MAX_LOGICAL_ID_LENGTH) throw new Error(`config rules: policy id "${policy.id}" gives a logical id over ${MAX_LOGICAL_ID_LENGTH} characters`);
    if (logicalId === PERMISSION_LOGICAL_ID || logicalId === LAMBDA_LOGICAL_ID) {
      throw new Error(`config rules: policy id "${policy.id}" maps to the logical id ${logicalId}, which another resource of the stack uses`);
    }
    const clash = taken.get(logicalId.toLowerCase());
    if (clash) throw new Error(`config rules: policies "${clash}" and "${policy.id}" map to the same logical id ${logicalId}`);
    taken.set(logicalId.toLowerCase(), policy.id);
    Resources[logicalId] = {
      Type: 'AWS::Config::ConfigRule',
      DependsOn: PERMISSION_LOGICAL_ID,
      Properties: {
        ConfigRuleName: ruleName,
        Description: truncate(`[${policy.severity}] ${policy.title} (eksguard policy ${policy.id})`, MAX_DESCRIPTION_LENGTH),
        Scope: { ComplianceResourceTypes: [RESOURCE_TYPE] },
        Source: {
          Owner: 'CUSTOM_LAMBDA',
          SourceIdentifier: { 'Fn::GetAtt': [LAMBDA_LOGICAL_ID, 'Arn'] },
          SourceDetails: [
            { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
            { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
            { EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: frequency },
          ],
        },
        InputParameters: { policyId: policy.id },
      },
    };
  }
  return { Resources };
}

/**
 * The `${file(infra/config-rules.cjs)}` entry point. The periodic frequency comes from the
 * `configRuleFrequency` param (serverless.yml `params`, or `--param`), default TwentyFour_Hours;
 * `configRules=false` leaves the rules out (the config-rule function stays, never invoked).
 */
async function configRules({ resolveVariable } = {}) {
  // Config rules need a configuration recorder in the region; without one the deploy fails on them.
  const enabled = resolveVariable ? parseSwitch(await resolveVariable(`param:${ENABLED_PARAM}, 'true'`)) : true;
  if (!enabled) return { Resources: {} };
  const frequency = resolveVariable ? await resolveVariable(`param:${FREQUENCY_PARAM}, '${DEFAULT_FREQUENCY}'`) : DEFAULT_FREQUENCY;
  return buildConfigRules(DEFAULT_POLICY_DIR, { frequency });
}

module.exports = configRules;
module.exports.buildConfigRules = buildConfigRules;
module.exports.logicalIdFor = logicalIdFor;
module.exports.ruleNameFor = ruleNameFor;
module.exports.constants = Object.freeze({
  LAMBDA_LOGICAL_ID,
  PERMISSION_LOGICAL_ID,
  RESOURCE_TYPE,
  FREQUENCIES: Object.freeze([...FREQUENCIES]),
  DEFAULT_FREQUENCY,
  FREQUENCY_PARAM,
  ENABLED_PARAM,
  MAX_RULE_NAME_LENGTH,
  MAX_DESCRIPTION_LENGTH,
});
