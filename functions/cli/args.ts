/** What the CLI commands share: their Io, usage errors, and the options that choose the policy set. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT } from '../core/report/report.js';
import type { PolicySetFiles } from '../policy-files/policy-set.js';
import { DEFAULT_POLICY_DIR } from './paths.js';

export class UsageError extends Error {}

/** AWS cannot be used as asked (credentials, profile, a region that cannot be listed): exit 3, before scanning. */
export class AwsAccessError extends Error {}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (colour, wrapping) and how wide it is. */
  stdoutIsTTY?: boolean;
  columns?: number;
  /** Writes a file (--output); default: node:fs. */
  writeFile?: (file: string, text: string) => void;
}

/** An option's description with the default it has when left out (commander shows only defaults that are set). */
export const withDefault = (description: string, fallback: string): string => `${description} (default: ${fallback})`;

/** A repeatable option's values, in order. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function positiveNumber(what: string, integer: boolean): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!(value.trim() !== '' && n > 0 && (!integer || Number.isInteger(n))))
      throw new InvalidArgumentError(`expected a positive ${integer ? 'whole number' : 'number'} of ${what}.`);
    return n;
  };
}

export interface PolicySetOptions {
  policies?: string[];
  defaultPolicies: boolean;
  config?: string;
  exceptions?: string;
}

/** --policies (repeatable, added to the shipped set), --no-default-policies; with settings also --config and --exceptions. */
export function addPolicySetOptions(command: Command, options: { withSettings: boolean }): Command {
  command
    .addOption(
      new Option(
        '--policies <dir>',
        withDefault('a directory of your own policies (<id>.yaml), added to the shipped ones; repeat for several', 'the shipped policies only'),
      ).argParser(collect),
    )
    .addOption(new Option('--no-default-policies', 'leave out the shipped policies: only those of --policies'));
  if (options.withSettings) {
    command
      .addOption(new Option('--config <file>', withDefault('deployment settings: severity, parameters, disabled policies (policies/README.md)', 'none: the policies as written')))
      .addOption(new Option('--exceptions <file>', withDefault('reviewed exceptions (policies/README.md)', 'none')));
  }
  return command;
}

export function policyDirectories(options: PolicySetOptions): string[] {
  const own = options.policies ?? [];
  if (!options.defaultPolicies && own.length === 0) throw new UsageError('--no-default-policies leaves no policies: add --policies DIR');
  return [...(options.defaultPolicies ? [DEFAULT_POLICY_DIR] : []), ...own];
}

export function policySetFiles(options: PolicySetOptions): PolicySetFiles {
  return {
    policyDir: policyDirectories(options),
    ...(options.config ? { configFile: options.config } : {}),
    ...(options.exceptions ? { exceptionsFile: options.exceptions } : {}),
  };
}

/**
 * Runs an action and records its exit code; a UsageError becomes the command's own one-line
 * usage error, so it reads the same as the errors commander finds.
 */
export function runAction<O extends object>(command: Command, handler: (options: O, command: Command) => Promise<number> | number, setCode: (code: number) => void): void {
  command.action(async (...args: unknown[]) => {
    // commander passes the arguments, then the options, then the command itself.
    const cmd = args[args.length - 1] as Command;
    try {
      setCode(await handler(cmd.opts<O & object>(), cmd));
    } catch (error) {
      if (error instanceof UsageError) cmd.error(error.message, { exitCode: EXIT.usage, code: 'eksguard.usage' });
      throw error;
    }
  });
}
