/**
 * `--cluster NAME|GLOB`: resolved against the clusters each region lists, before the scan, so a
 * typo is an error naming it (exit 2) rather than an empty, green report. Patterns are the
 * exceptions' whole-name globs (`*`, `?`).
 */
import { globToRegExp } from '../core/policy/glob.js';
import { describeError } from '../collect/lookup.js';
import { AwsAccessError, UsageError } from './args.js';

export interface ClusterSelection {
  /** Regions where a pattern matched. */
  regions: string[];
  clusterNames: string[];
}

const shortList = (names: readonly string[]) => (names.length > 10 ? `${names.slice(0, 10).join(', ')}, … (${names.length} in all)` : names.join(', '));

export async function selectClusters(patterns: readonly string[], regions: readonly string[], listClusters: (region: string) => Promise<string[]>): Promise<ClusterSelection> {
  const listings = await Promise.all(
    regions.map(async (region) => {
      try {
        return { region, names: await listClusters(region) };
      } catch (error) {
        throw new AwsAccessError(`cannot resolve --cluster in ${region}: ${describeError(error, 'eks:ListClusters')}`);
      }
    }),
  );
  const matched = new Set<string>();
  const selectedRegions: string[] = [];
  const unmatched = new Set(patterns);
  for (const { region, names } of listings) {
    let any = false;
    for (const pattern of patterns) {
      const hits = names.filter((name) => globToRegExp(pattern).test(name));
      if (hits.length) unmatched.delete(pattern);
      for (const hit of hits) matched.add(hit);
      any ||= hits.length > 0;
    }
    if (any) selectedRegions.push(region);
  }
  if (unmatched.size) {
    const listed = [...new Set(listings.flatMap((l) => l.names))].sort();
    const what = [...unmatched].map((p) => `"${p}"`).join(', ');
    const there = listed.length ? `clusters there: ${shortList(listed)}` : 'no clusters there';
    throw new UsageError(`--cluster: no cluster matches ${what} in ${regions.join(', ')} (${there})`);
  }
  return { regions: selectedRegions, clusterNames: [...matched].sort() };
}
