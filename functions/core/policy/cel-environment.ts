/**
 * Derives the CEL type declarations from the snapshot's JSON Schema (snapshot.schema.json, which
 * `npm run schema` generates from the zod schema and test/schemas.test.ts keeps current), so that
 * policy expressions are type-checked against exactly the snapshot the collector produces without
 * loading zod at run time, and converts a snapshot into CEL values once per evaluation batch
 * (objects become typed instances, integers become the BigInts that CEL uses).
 */
import { Environment } from '@marcbachmann/cel-js';
import type { ClusterSnapshot } from '../snapshot/schema.js';
import { POLICY_VARIABLES } from '../snapshot/sections.js';
import SNAPSHOT_SCHEMA from '../snapshot/snapshot.schema.json' with { type: 'json' };
import { cidrContains, cidrHost, cidrOverlaps, cidrPrefixLength, isIpOrCidr } from './cidr.js';
import { cidrsCover, naclVerdict, naclBlocked, networkAclOf, type AclEntry, type NetworkAclLike } from './nacl.js';

/** The parts of JSON Schema that zod emits for the snapshot's types. */
interface JsonSchema {
  type?: string;
  $ref?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
}
type Convert = (value: unknown) => unknown;
interface Declared {
  celType: string;
  convert: Convert;
}

const identity: Convert = (v) => v;
const DEFINITIONS = (SNAPSHOT_SCHEMA as { $defs: Record<string, JsonSchema> }).$defs;

class SnapshotTypes {
  /** Object types by name (their `.meta({id})` in the zod schema, their `$defs` entry here). */
  private readonly byName = new Map<string, Declared>();
  constructor(private readonly env: Environment) {}

  declare(schema: JsonSchema): Declared {
    if (schema.$ref) return this.declareNamed(schema.$ref.replace(/^#\/\$defs\//, ''));
    switch (schema.type) {
      case 'string':
        return { celType: 'string', convert: identity };
      case 'boolean':
        return { celType: 'bool', convert: identity };
      case 'number':
      case 'integer':
        return { celType: 'int', convert: (v) => BigInt(v as number) };
      case 'array': {
        const item = this.declare(schema.items ?? {});
        return {
          celType: `list<${item.celType}>`,
          convert: item.convert === identity ? identity : (v) => (v as unknown[]).map(item.convert),
        };
      }
      case 'object': {
        if (schema.properties || typeof schema.additionalProperties !== 'object') throw new Error('snapshot schema: every object type needs .meta({id}) to be usable from CEL');
        const value = this.declare(schema.additionalProperties);
        return {
          celType: `map<string, ${value.celType}>`,
          convert:
            value.convert === identity
              ? identity
              : (v) => {
                  const out: Record<string, unknown> = {};
                  for (const [k, item] of Object.entries(v as Record<string, unknown>)) out[k] = value.convert(item);
                  return out;
                },
        };
      }
      default:
        throw new Error(`snapshot schema: no CEL mapping for JSON Schema type "${schema.type}"`);
    }
  }

  private declareNamed(name: string): Declared {
    const known = this.byName.get(name);
    if (known) return known;
    const shape = DEFINITIONS[name]?.properties;
    if (!shape) throw new Error(`snapshot schema: no object type "${name}" in snapshot.schema.json`);
    const fields: Record<string, string> = {};
    const converters: [string, Convert][] = [];
    for (const [field, fieldSchema] of Object.entries(shape)) {
      const declared = this.declare(fieldSchema);
      fields[field] = declared.celType;
      converters.push([field, declared.convert]);
    }
    const Ctor = { [name]: class {} }[name]!;
    this.env.registerType(name, { ctor: Ctor, fields });
    const convert: Convert = (value) => {
      const source = value as Record<string, unknown>;
      const target = new Ctor() as Record<string, unknown>;
      for (const [field, fieldConvert] of converters) {
        const v = source[field];
        if (v !== undefined) target[field] = fieldConvert(v);
      }
      return target;
    };
    const declared = { celType: name, convert };
    this.byName.set(name, declared);
    return declared;
  }
}

export interface SnapshotEnvironment {
  /** Frozen base environment; clone it to add per-policy declarations such as `params`. */
  env: Environment;
  /** Converts a snapshot into the CEL variables (one per snapshot section, plus account and region). */
  toVariables(snapshot: ClusterSnapshot): Record<string, unknown>;
}

function registerLibrary(env: Environment): void {
  const fn = (signature: string, description: string, handler: (...args: never[]) => unknown) => env.registerFunction({ signature, handler, description });
  fn('cidrContains(string, string): bool', 'CIDR (first) contains an address or CIDR (second), IPv4 or IPv6', (a: string, b: string) => cidrContains(a, b));
  fn('cidrOverlaps(string, string): bool', 'the two CIDRs share at least one address', (a: string, b: string) => cidrOverlaps(a, b));
  fn('cidrPrefixLength(string): int', 'prefix length of a CIDR (32/128 for a bare address)', (a: string) => BigInt(cidrPrefixLength(a)));
  fn('cidrHost(string, int): string', "the n-th address of a CIDR, like Terraform's cidrhost", (a: string, n: bigint) => cidrHost(a, Number(n)));
  fn('cidrsCover(list<string>, string): bool', 'the CIDRs (first) together contain every address of the CIDR (second)', (list: string[], c: string) =>
    cidrsCover(list.filter(isIpOrCidr), c),
  );
  fn(
    'naclVerdict(list<NetworkAclEntry>, bool, list<string>, int, int): string',
    'network ACL entries on TCP traffic in one direction (true: egress) with every address of the peers, on ports from-to: "" when allowed, else the deciding rule (a peer that is not an address or CIDR is an evaluation error, never "allowed")',
    (entries: AclEntry[], egress: boolean, peers: string[], from: bigint, to: bigint) => naclVerdict(entries, egress, peers, Number(from), Number(to)),
  );
  fn(
    'networkAclOf(map<string, NetworkAcl>, string): string',
    'the id of the network ACL (of the map, first) associated with the subnet (second), "" when none is',
    (acls: Record<string, NetworkAclLike>, subnet: string) => networkAclOf(acls, subnet),
  );
  fn(
    'naclBlocked(map<string, NetworkAcl>, list<map<string, dyn>>): list<map<string, dyn>>',
    'the checks {acl, egress, peer, from, to} (second) that their ACL (of the first) does not let through, each with its naclVerdict as verdict; acl "" skips a check',
    (acls: Record<string, NetworkAclLike>, checks: Record<string, unknown>[]) => naclBlocked(acls, checks),
  );
  fn('list<list<dyn>>.flatten(): list<dyn>', 'the lists concatenated, one level deep', (lists: unknown[][]) => lists.flat());
  fn('isCidr(string): bool', 'the string is an IPv4/IPv6 address or CIDR', (a: string) => isIpOrCidr(a));
  fn('daysBetween(google.protobuf.Timestamp, google.protobuf.Timestamp): int', 'whole days from the first to the second timestamp (negative when earlier)', (a: Date, b: Date) =>
    BigInt(Math.floor((b.getTime() - a.getTime()) / 86_400_000)),
  );
}

export function createSnapshotEnvironment(): SnapshotEnvironment {
  const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
  const types = new SnapshotTypes(env);
  const variables = POLICY_VARIABLES.map((name) => {
    const declared = types.declare(DEFINITIONS.ClusterSnapshot!.properties![name]!);
    env.registerVariable(name, declared.celType);
    return [name, declared.convert] as const;
  });
  env.registerVariable('account', 'string');
  env.registerVariable('region', 'string');
  env.registerVariable('now', 'google.protobuf.Timestamp');
  registerLibrary(env);
  return {
    env,
    toVariables(snapshot) {
      const out: Record<string, unknown> = { account: snapshot.account, region: snapshot.region };
      for (const [name, convert] of variables) out[name] = convert(snapshot[name]);
      return out;
    },
  };
}

let sharedEnvironment: SnapshotEnvironment | undefined;
/** Building the CEL environment is the expensive part; do it once per process. */
export function snapshotEnvironment(): SnapshotEnvironment {
  sharedEnvironment ??= createSnapshotEnvironment();
  return sharedEnvironment;
}
