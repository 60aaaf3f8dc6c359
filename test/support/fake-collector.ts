/**
 * An in-memory Collector (app/ports.ts) for use-case tests: the clusters it "collects" are given
 * as targets, grouped by region; a region or the caller's account can be made to fail.
 */
import type { Collector, CollectRequest, RegionCollection } from '../../functions/app/ports.js';
import { targetIdentity, type ScanTarget } from '../../functions/core/snapshot/target.js';

export class FakeCollector implements Collector {
  /** Each collectRegion call, in order. */
  readonly calls: { region: string; clusterNames?: readonly string[] }[] = [];
  /** A region listed here cannot be read at all (the reason becomes its scan error). */
  readonly failingRegions = new Map<string, string>();
  /** When set, callerAccount throws with this reason. */
  accountFailure: string | undefined;

  constructor(
    public account: string,
    public targets: ScanTarget[],
  ) {}

  async callerAccount(): Promise<string> {
    if (this.accountFailure) throw new Error(this.accountFailure);
    return this.account;
  }

  async collectRegion(region: string, request: CollectRequest): Promise<RegionCollection> {
    this.calls.push({ region, ...(request.clusterNames ? { clusterNames: request.clusterNames } : {}) });
    const failure = this.failingRegions.get(region);
    if (failure) return { region, targets: [], errors: [{ region, message: failure }], vanished: [] };
    const inRegion = this.targets.filter((t) => targetIdentity(t).region === region);
    const wanted = request.clusterNames;
    const targets = wanted ? inRegion.filter((t) => wanted.includes(targetIdentity(t).cluster)) : inRegion;
    const vanished = (wanted ?? []).filter((name) => !targets.some((t) => targetIdentity(t).cluster === name));
    return { region, targets: structuredClone(targets), errors: [], vanished };
  }
}
