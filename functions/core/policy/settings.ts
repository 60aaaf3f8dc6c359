/**
 * The deployment configuration: per-policy severity, parameters and enablement, from one file,
 * without editing the shipped policy files.
 *
 *   apiVersion: eksguard.dev/v1
 *   kind: Configuration
 *   policies:
 *     control-plane-subnets-free-ips: {severity: high, parameters: {minFreeIps: 32}}
 *     deletion-protection-enabled: {enabled: false}
 */
import { z } from 'zod';
import type { PolicyOverride } from './compile.js';
import { Severity } from '../severity.js';
import { validateYaml, type YamlSource } from './yaml-source.js';

const PolicySettings = z
  .object({
    enabled: z.boolean().default(true),
    severity: Severity.optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const ConfigurationDocument = z
  .object({
    apiVersion: z.literal('eksguard.dev/v1'),
    kind: z.literal('Configuration'),
    policies: z.record(z.string(), PolicySettings).default({}),
  })
  .strict();

export interface Configuration {
  file: string;
  locate: (path: readonly PropertyKey[]) => string;
  disabled: Set<string>;
  overrides: Map<string, PolicyOverride>;
}

/** The settings of a parsed configuration file. */
export function configurationFrom(source: YamlSource): Configuration {
  const { file } = source;
  const document = validateYaml(source, ConfigurationDocument);
  const disabled = new Set<string>();
  const overrides = new Map<string, PolicyOverride>();
  for (const [id, settings] of Object.entries(document.policies)) {
    if (!settings.enabled) disabled.add(id);
    overrides.set(id, {
      ...(settings.severity ? { severity: settings.severity } : {}),
      ...(settings.parameters ? { parameters: settings.parameters } : {}),
      source: { file, locate: source.locate, path: ['policies', id] },
    });
  }
  return { file, locate: source.locate, disabled, overrides };
}
