/** Reading the YAML files the policy engine loads (policies, cases, settings, exceptions). */
import { readFileSync } from 'node:fs';
import { PolicyLoadError } from '../core/policy/errors.js';
import { parseYaml, type YamlSource } from '../core/policy/yaml-source.js';

/** Reads and parses a YAML file; an unreadable file is a load error naming it and what it was for. */
export function readYamlFile(file: string, what: string): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyLoadError(file, '', `cannot read the ${what}: ${(error as Error).message}`);
  }
  return parseYaml(file, text);
}
