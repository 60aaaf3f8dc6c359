/** Accessors for the flattened form parameters of the awsQuery / ec2Query protocols. */
import type { ApiError } from './protocol.js';

export interface Filter {
  name: string;
  values: string[];
}

export class QueryParams {
  constructor(private readonly values: Readonly<Record<string, string>>) {}

  get(name: string): string | undefined {
    return this.values[name];
  }

  /** A required parameter; `missing` builds the protocol's error. */
  require(name: string, missing: (name: string) => ApiError): string {
    const value = this.values[name];
    if (value === undefined || value === '') throw missing(name);
    return value;
  }

  /** Values of `prefix.1`, `prefix.2`, ... in index order (EC2 style flattened list). */
  list(prefix: string): string[] {
    return this.indexed(prefix).map(([, key]) => this.values[key] ?? '');
  }

  /** EC2 `Filter.N.Name` / `Filter.N.Value.M`. */
  filters(): Filter[] {
    return this.indexed('Filter', '.Name').map(([n]) => ({
      name: this.values[`Filter.${n}.Name`] ?? '',
      values: this.list(`Filter.${n}.Value`),
    }));
  }

  /** awsQuery map entries `prefix.entry.N.<keyName>` with nested value fields `prefix.entry.N.<valueName>.<field>`. */
  mapEntries(prefix: string, keyName: string, valueName: string): Array<[string, Record<string, string>]> {
    return this.indexed(`${prefix}.entry`, `.${keyName}`).map(([n]) => {
      const base = `${prefix}.entry.${n}.`;
      const value: Record<string, string> = {};
      for (const [k, v] of Object.entries(this.values)) {
        if (k.startsWith(`${base}${valueName}.`)) value[k.slice(base.length + valueName.length + 1)] = v;
      }
      return [this.values[`${base}${keyName}`] ?? '', value];
    });
  }

  /** [index, key] pairs of keys shaped `prefix.<n><suffix>`, sorted by n. */
  private indexed(prefix: string, suffix = ''): Array<[number, string]> {
    const re = new RegExp(`^${escapeRegExp(prefix)}\\.(\\d+)${escapeRegExp(suffix)}$`);
    const found: Array<[number, string]> = [];
    for (const key of Object.keys(this.values)) {
      const m = re.exec(key);
      if (m) found.push([Number(m[1]), key]);
    }
    return found.sort((a, b) => a[0] - b[0]);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
