/** The policy file format (one policy per YAML file). The published JSON Schema is derived from it. */
import { z } from 'zod';
import { ELEMENT_KINDS } from '../report/html/element-kinds.js';
import { Severity } from '../severity.js';

const Expression = z.string().min(1).describe('A CEL expression over the snapshot variables');

export const ParameterType = z.enum(['int', 'string', 'bool', 'list<string>']);
export const Parameter = z
  .object({
    type: ParameterType,
    default: z.union([z.number().int(), z.string(), z.boolean(), z.array(z.string())]),
    description: z.string().min(1),
  })
  .strict();

export const Scope = z
  .object({
    clusters: z.array(z.string().min(1)).optional().describe('Cluster name globs (* and ?); default all'),
    excludeClusters: z.array(z.string().min(1)).optional(),
    tags: z.record(z.string(), z.string()).optional().describe('Cluster tags that must all match exactly'),
    accounts: z.array(z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id')).optional(),
    regions: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type Scope = z.infer<typeof Scope>;

export const Applicability = z
  .object({
    expression: Expression.describe('When false, the result is not-applicable'),
    reason: z.string().min(1).describe('Why the policy does not apply when the expression is false'),
  })
  .strict();

export const Variable = z
  .object({
    name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'a CEL identifier'),
    expression: Expression.describe('Computed once per cluster; later expressions read it as variables.<name>'),
  })
  .strict();

export const Validation = z
  .object({
    expression: Expression.describe('Must be true for the cluster to pass'),
    message: z.string().min(1).optional().describe('Static failure message'),
    messageExpression: Expression.optional().describe('CEL string expression naming the offending resource and value'),
  })
  .strict()
  .refine((v) => v.message !== undefined || v.messageExpression !== undefined, {
    message: 'a validation needs a message or a messageExpression',
  });

/** Controls of published frameworks that a policy checks, by framework (see ../report/controls.ts). */
export const Controls = z
  .object({
    awsFsbp: z
      .array(z.string().regex(/^EKS\.\d+$/, 'an AWS Foundational Security Best Practices EKS control id such as EKS.1'))
      .min(1)
      .optional()
      .describe('AWS Foundational Security Best Practices (Security Hub) control ids'),
    cisEks: z
      .array(z.string().regex(/^\d+(\.\d+)+$/, 'a CIS Amazon EKS Benchmark recommendation number such as 5.4.2'))
      .min(1)
      .optional()
      .describe('CIS Amazon EKS Benchmark recommendation numbers'),
  })
  .strict();
export type Controls = z.infer<typeof Controls>;

const ElementKind = z.enum(ELEMENT_KINDS);

/** Where the HTML wiring report draws the policy's fail and error results (functions/core/report/html/README.md). */
export const Diagram = z
  .object({
    named: z.array(ElementKind).default([]).describe('Kinds of element marked when the result message names them (by id or name)'),
    fallback: z.array(ElementKind).default([]).describe('Kinds marked, the first that is drawn, when the message names none'),
  })
  .strict();
export type Diagram = z.infer<typeof Diagram>;

export const PolicyDocument = z
  .object({
    apiVersion: z.literal('eksguard.dev/v1'),
    kind: z.literal('Policy'),
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words separated by dashes'),
    title: z.string().min(1),
    severity: Severity,
    category: z.enum(['endpoint', 'control-plane', 'security-groups', 'network', 'nodes', 'configuration']),
    description: z.string().min(1),
    rationale: z.string().min(1),
    remediation: z
      .object({
        description: z.string().min(1),
        cli: z.string().optional().describe('aws CLI command; {{cluster}}, {{region}} and {{account}} are filled in'),
        cliExpression: Expression.optional().describe(
          'CEL string expression computing the aws CLI command of a failing cluster with its own values (group ids, role names, subnet ids); replaces cli where it yields a command. Keep <placeholders> only for what a person must choose.',
        ),
      })
      .strict(),
    references: z.array(z.string().url()).min(1),
    controls: Controls.optional().describe('Compliance controls this policy checks (shown in reports and messages, Security Hub RelatedRequirements)'),
    diagram: Diagram.optional().describe(
      'Where the HTML wiring report marks its results; without it, any subnet, gateway, ACL, endpoint, security group or compute element the message names',
    ),
    parameters: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/), Parameter).default({}),
    scope: Scope.default({}),
    variables: z.array(Variable).default([]).describe('Named intermediate values, as in Kubernetes ValidatingAdmissionPolicy'),
    applicability: z.array(Applicability).default([]),
    validations: z.array(Validation).min(1),
    unverifiable: z
      .array(Validation)
      .default([])
      .describe(
        "Checks of data this account cannot see (egress through a transit gateway, another account's NAT gateway): when one is false and no validation failed, the result is error with its message",
      ),
    passMessage: z.string().min(1).describe('Message of a passing result'),
  })
  .strict();
export type PolicyDocument = z.infer<typeof PolicyDocument>;
