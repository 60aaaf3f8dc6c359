/** Turns a validated policy document into type-checked, compiled CEL programs (once per process). */
import type { Environment } from '@marcbachmann/cel-js';
import { POLICY_VARIABLES, type Section } from '../snapshot/sections.js';
import type { SnapshotEnvironment } from './cel-environment.js';
import { PolicyLoadError, PolicyLoadErrors } from './errors.js';
import type { Severity } from '../severities.js';
import type { PolicyDocument, Scope } from './policy-schema.js';
import { formatPath } from './field-path.js';

type Program = (context: Record<string, unknown>) => unknown;
type Check = { program: Program; message: (context: Record<string, unknown>) => string };

export interface CompiledPolicy {
  id: string;
  title: string;
  severity: Severity;
  category: PolicyDocument['category'];
  file: string;
  document: PolicyDocument;
  scope: Scope;
  remediation: PolicyDocument['remediation'];
  passMessage: string;
  /** CEL values of the parameters (defaults, or deployment overrides). */
  params: Record<string, unknown>;
  /** The `variables` object of one evaluation: each named value is computed on its first read and remembered (CEL is pure, so order does not matter). */
  newVariables: (context: Record<string, unknown>) => LazyVariables;
  /** `sections` is set when the condition reads no variable: the sections it reads. */
  applicability: { program: Program; reason: string; sections?: Section[] }[];
  validations: Check[];
  /** Checks of what this account cannot see: false (with no validation failing) makes the result `error`. */
  unverifiable: Check[];
  /** Snapshot sections the expressions read: a collection error in any of them makes the result `error`. */
  sections: Section[];
  /** remediation.cliExpression: the command of a failing cluster, with its own values. */
  remediationCommand?: Program;
}

/** Where an override was written (a configuration file, a test case), for its error messages. */
export interface OverrideSource {
  file: string;
  locate: (path: readonly PropertyKey[]) => string;
  /** Path of this policy's entry within that file. */
  path: readonly PropertyKey[];
}

export interface PolicyOverride {
  severity?: Severity;
  /** Parameter values replacing the defaults. */
  parameters?: Record<string, unknown>;
  source?: OverrideSource;
}

export interface CompileOptions {
  /** Locates a field of the policy file ("line:col") for error messages. */
  locate: (path: readonly PropertyKey[]) => string;
  override?: PolicyOverride;
}

const CEL_PARAM_TYPES = { int: 'int', string: 'string', bool: 'bool', 'list<string>': 'list<string>' } as const;

function toCelParam(type: keyof typeof CEL_PARAM_TYPES, value: unknown): unknown {
  return type === 'int' ? BigInt(value as number) : value;
}

function paramMatchesType(type: keyof typeof CEL_PARAM_TYPES, value: unknown): boolean {
  switch (type) {
    case 'int':
      return Number.isInteger(value);
    case 'string':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'list<string>':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}

function collectIdentifiers(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectIdentifiers(child, into);
    return;
  }
  if (!node || typeof node !== 'object' || !('op' in node)) return;
  const { op, args } = node as { op: string; args: unknown };
  if (op === 'id' && typeof args === 'string') into.add(args);
  else collectIdentifiers(args, into);
}

const CONTEXT = Symbol('context');
const VALUES = Symbol('values');
const FAILURE = Symbol('failure');

/** The `variables` of one evaluation; `failure` is the first variable that could not be computed. */
export interface LazyVariables {
  [CONTEXT]: Record<string, unknown>;
  [VALUES]: Map<string, unknown>;
  [FAILURE]?: Error;
}

export function variableFailure(values: LazyVariables): Error | undefined {
  return values[FAILURE];
}

/**
 * One class per policy, so that CEL sees `variables` as its registered message type; its getters
 * (added once the variables are compiled) compute each variable on first read. A variable that
 * fails is remembered: CEL's `||` and `&&` absorb errors, and a policy whose variable could not
 * be computed must end in `error`, whatever absorbed it.
 */
function lazyVariablesClass() {
  return class PolicyVariables implements LazyVariables {
    [CONTEXT]: Record<string, unknown>;
    [VALUES] = new Map<string, unknown>();
    [FAILURE]?: Error;
    constructor(context: Record<string, unknown>) {
      this[CONTEXT] = context;
    }
  };
}

function defineVariableGetters(prototype: LazyVariables, variables: readonly { name: string; program: Program }[]): void {
  for (const { name, program } of variables) {
    Object.defineProperty(prototype, name, {
      enumerable: true,
      get(this: LazyVariables) {
        if (this[VALUES].has(name)) return this[VALUES].get(name);
        try {
          const value = program(this[CONTEXT]);
          this[VALUES].set(name, value);
          return value;
        } catch (error) {
          this[FAILURE] ??= error as Error;
          throw error;
        }
      },
    });
  }
}

export function compilePolicy(document: PolicyDocument, file: string, base: SnapshotEnvironment, options: CompileOptions): CompiledPolicy {
  const errors: PolicyLoadError[] = [];
  const fail = (path: readonly PropertyKey[], problem: string) => errors.push(new PolicyLoadError(file, options.locate(path), problem));

  const overrides = options.override?.parameters ?? {};
  const source = options.override?.source;
  const failOverride = (name: string, problem: string) => {
    const path = [...(source?.path ?? []), 'parameters', name];
    errors.push(source ? new PolicyLoadError(source.file, source.locate(path), `${formatPath(path)}: ${problem}`) : new PolicyLoadError(file, '', problem));
  };

  const params: Record<string, unknown> = {};
  const paramFields: Record<string, string> = {};
  for (const [name, spec] of Object.entries(document.parameters)) {
    paramFields[name] = CEL_PARAM_TYPES[spec.type];
    if (!paramMatchesType(spec.type, spec.default)) fail(['parameters', name, 'default'], `parameters.${name}.default: expected ${spec.type}`);
    const value = name in overrides ? overrides[name] : spec.default;
    if (paramMatchesType(spec.type, value)) params[name] = toCelParam(spec.type, value);
    else failOverride(name, `expected ${spec.type}, got ${JSON.stringify(value)}`);
  }
  for (const name of Object.keys(overrides)) {
    if (!(name in document.parameters)) {
      const known = Object.keys(document.parameters);
      failOverride(name, `${document.id} has no parameter "${name}"${known.length ? ` (it has ${known.join(', ')})` : ''}`);
    }
  }

  // Each variable's type is inferred from its expression, checked against the variables before it.
  const variableTypes: Record<string, string> = {};
  const variables: { name: string; program: Program }[] = [];
  const VariablesClass = lazyVariablesClass();
  const environmentWith = (types: Record<string, string>): Environment => {
    const env = base.env.clone();
    env.registerType('PolicyParameters', { fields: paramFields });
    env.registerVariable('params', 'PolicyParameters');
    env.registerType('PolicyVariables', { ctor: VariablesClass, fields: { ...types } });
    env.registerVariable('variables', 'PolicyVariables');
    return env;
  };

  const referenced = new Set<string>();
  const compileIn = (env: Environment, path: readonly PropertyKey[], expression: string, expected?: 'bool' | 'string', own?: Set<string>): { program: Program; type?: string } => {
    const where = formatPath(path);
    try {
      const checked = env.check(expression);
      if (!checked.valid) {
        fail(path, `${where}: ${checked.error?.message.split('\n')[0] ?? 'invalid expression'} in \`${expression.trim()}\``);
        return { program: () => undefined };
      }
      if (expected && checked.type !== expected && checked.type !== 'dyn') {
        fail(path, `${where}: expression must return ${expected}, returns ${checked.type}`);
      }
      const program = env.parse(expression);
      collectIdentifiers(program.ast, referenced);
      if (own) collectIdentifiers(program.ast, own);
      return { program: program as unknown as Program, type: checked.type };
    } catch (error) {
      fail(path, `${where}: CEL syntax error: ${(error as Error).message.split('\n')[0]}`);
      return { program: () => undefined };
    }
  };

  document.variables.forEach((v, i) => {
    const compiled = compileIn(environmentWith(variableTypes), ['variables', i, 'expression'], v.expression);
    variableTypes[v.name] = compiled.type ?? 'dyn';
    variables.push({ name: v.name, program: compiled.program });
  });
  defineVariableGetters(VariablesClass.prototype, variables);
  const env = environmentWith(variableTypes);
  const compile = (path: readonly PropertyKey[], expression: string, expected: 'bool' | 'string'): Program => compileIn(env, path, expression, expected).program;

  const applicability = document.applicability.map((a, i) => {
    const own = new Set<string>();
    const program = compileIn(env, ['applicability', i, 'expression'], a.expression, 'bool', own).program;
    // A condition that reads no computed variable can be decided from its own sections alone.
    const standalone = !own.has('variables');
    return { program, reason: a.reason, ...(standalone ? { sections: POLICY_VARIABLES.filter((s) => own.has(s)) } : {}) };
  });
  const checksOf = (field: 'validations' | 'unverifiable') =>
    document[field].map((v, i) => {
      const program = compile([field, i, 'expression'], v.expression, 'bool');
      const messageProgram = v.messageExpression ? compile([field, i, 'messageExpression'], v.messageExpression, 'string') : undefined;
      const staticMessage = v.message ?? '';
      return {
        program,
        message: messageProgram ? (context: Record<string, unknown>) => String(messageProgram(context)) : () => staticMessage,
      };
    });
  const remediationCommand = document.remediation.cliExpression ? compile(['remediation', 'cliExpression'], document.remediation.cliExpression, 'string') : undefined;
  const validations = checksOf('validations');
  const unverifiable = checksOf('unverifiable');

  if (errors.length) throw new PolicyLoadErrors(errors);
  return {
    id: document.id,
    title: document.title,
    severity: options.override?.severity ?? document.severity,
    category: document.category,
    file,
    document,
    scope: document.scope,
    remediation: document.remediation,
    passMessage: document.passMessage,
    params,
    newVariables: (context) => new VariablesClass(context),
    applicability,
    validations,
    unverifiable,
    sections: POLICY_VARIABLES.filter((s) => referenced.has(s)),
    ...(remediationCommand ? { remediationCommand } : {}),
  };
}
