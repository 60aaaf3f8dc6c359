/** The exceptions file format (see exceptions.ts): its zod schema and the entries of a parsed file. */
import { z } from 'zod';
import { PolicyLoadError, PolicyLoadErrors } from './errors.js';
import type { PolicyException } from './exceptions.js';
import { globToRegExp } from './glob.js';
import { validateYaml, type YamlSource } from './yaml-source.js';

const ExceptionEntry = z
  .object({
    policy: z.string().min(1).describe('A policy id, or "*" for every policy'),
    cluster: z.string().min(1).describe('Cluster name glob (* and ?), matched against the whole name'),
    account: z
      .string()
      .regex(/^\d{12}$/, 'a 12-digit AWS account id')
      .optional(),
    region: z.string().min(1).optional(),
    reason: z.string().trim().min(10, 'say why, in at least 10 characters'),
    owner: z.string().trim().min(1),
    expires: z.iso.date('a date as YYYY-MM-DD').describe('Last day (UTC) on which the exception applies'),
  })
  .strict();

export const ExceptionsDocument = z
  .object({
    apiVersion: z.literal('eksguard.dev/v1'),
    kind: z.literal('Exceptions'),
    exceptions: z.array(ExceptionEntry).default([]),
  })
  .strict();

export type ExceptionEntry = z.infer<typeof ExceptionEntry>;

/** The exceptions of a parsed exceptions file; each must name a known policy (or "*"). */
export function exceptionsFrom(source: YamlSource, knownPolicies: ReadonlySet<string>): PolicyException[] {
  const { file } = source;
  const document = validateYaml(source, ExceptionsDocument);
  const unknown = document.exceptions.flatMap((e, i) =>
    e.policy === '*' || knownPolicies.has(e.policy)
      ? []
      : [new PolicyLoadError(file, source.locate(['exceptions', i, 'policy']), `exceptions[${i}].policy: no policy "${e.policy}" is loaded`)],
  );
  if (unknown.length) throw new PolicyLoadErrors(unknown);
  return document.exceptions.map((e, i) => ({
    ...e,
    location: `${file}:${source.locate(['exceptions', i]).split(':')[0]}`,
    matchesCluster: globToRegExp(e.cluster),
  }));
}
