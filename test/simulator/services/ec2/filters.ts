/** EC2 `Filter.N` semantics: filters AND together, values OR, `*`/`?` wildcards, tag filters. */
import { ApiError } from '../../protocols/protocol.js';
import type { Filter } from '../../protocols/query-params.js';

type Scalar = string | number | boolean | undefined;

/** Filter name -> the resource's value(s) for that attribute. */
export type FilterSpec<T> = Record<string, (resource: T) => Scalar | readonly Scalar[]>;

interface Tagged {
  tags: Record<string, string>;
}

function pattern(value: string): RegExp {
  const source = value
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

function extractor<T extends Tagged>(name: string, spec: FilterSpec<T>): (r: T) => Scalar | readonly Scalar[] {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return (r) => r.tags[key];
  }
  if (name === 'tag-key') return (r) => Object.keys(r.tags);
  if (name === 'tag-value') return (r) => Object.values(r.tags);
  const fn = Object.hasOwn(spec, name) ? spec[name] : undefined;
  if (!fn) throw new ApiError('InvalidParameterValue', `The filter '${name}' is invalid`);
  return fn;
}

export function applyFilters<T extends Tagged>(items: readonly T[], filters: readonly Filter[], spec: FilterSpec<T>): T[] {
  const predicates = filters.map((f) => {
    const extract = extractor(f.name, spec);
    const patterns = f.values.map(pattern);
    return (r: T) => {
      const values = ([] as Scalar[])
        .concat(extract(r))
        .filter((v) => v !== undefined)
        .map(String);
      return values.some((v) => patterns.some((p) => p.test(v)));
    };
  });
  return items.filter((item) => predicates.every((matches) => matches(item)));
}
