/** The shape shared by EC2 Describe calls (explicit ids, filters, MaxResults/NextToken) and EC2's errors. */
import { pageSize, paginate, type Page } from '../../pagination.js';
import { ApiError, type OpContext } from '../../protocols/protocol.js';
import type { QueryParams } from '../../protocols/query-params.js';
import { applyFilters, type FilterSpec } from './filters.js';

export const invalidValue = (message: string) => new ApiError('InvalidParameterValue', message);
export const missingParameter = (name: string) => new ApiError('MissingParameter', `The request must contain the parameter ${name}`);

/** Builds the NotFound error EC2 raises for explicit ids, e.g. "The subnet ID 'subnet-1' does not exist". */
export function notFound(code: string, noun: string) {
  return (missing: string[]) => new ApiError(code, missing.length === 1 ? `The ${noun} '${missing[0]}' does not exist` : `The ${noun}s '${missing.join(', ')}' do not exist`);
}

export interface DescribeSpec<T> {
  items: readonly T[];
  filters: FilterSpec<T>;
  /** The API's allowed MaxResults range; without MaxResults everything is returned. */
  maxResults: readonly [number, number];
  scope: string;
  ids?: {
    /** Flattened list parameter holding explicit ids, e.g. SubnetId (SubnetId.1, SubnetId.2...). */
    param: string;
    of: (r: T) => string;
    notFound: (missing: string[]) => ApiError;
    /** Set when EC2 rejects MaxResults combined with explicit ids; names the id list in the error. */
    excludeMaxResults?: string;
  };
}

/**
 * The shape shared by EC2 Describe calls: explicit ids must all exist (else the whole call
 * fails), filters narrow the result, MaxResults/NextToken paginate.
 */
export function describe<T extends { tags: Record<string, string> }>(p: QueryParams, spec: DescribeSpec<T>): Page<T> {
  let items = spec.items;
  const ids = spec.ids ? p.list(spec.ids.param) : [];
  if (spec.ids && ids.length) {
    const of = spec.ids.of;
    const missing = ids.filter((id) => !items.some((r) => of(r) === id));
    if (missing.length) throw spec.ids.notFound(missing);
    items = items.filter((r) => ids.includes(of(r)));
  }
  items = applyFilters(items, p.filters(), spec.filters);
  const rawMax = p.get('MaxResults');
  if (rawMax !== undefined && ids.length && spec.ids?.excludeMaxResults) {
    throw new ApiError('InvalidParameterCombination', `The parameter ${spec.ids.excludeMaxResults} cannot be used with the parameter maxResults`);
  }
  const [min, max] = spec.maxResults;
  const limit = pageSize(rawMax, spec.maxResults, (v) => {
    const expected = Number(v) < min ? `greater than ${min}` : `less than ${max}`;
    return invalidValue(`Value ( ${v} ) for parameter maxResults is invalid. Expecting a value ${expected}.`);
  });
  return paginate(items, {
    scope: spec.scope,
    limit,
    token: p.get('NextToken'),
    invalidToken: () => new ApiError('InvalidPaginationToken', 'The pagination token is invalid or expired.'),
  });
}

export const owner = (ctx: OpContext) => () => ctx.world.account;
