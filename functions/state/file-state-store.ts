/** The local state store of `eksguard scan --state FILE`: one JSON file, written atomically. */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { keyString, type ClusterKey, type ClusterRecord } from '../core/drift/record.js';
import { leaseAllows, StateConflictError, type StateStore } from './state-store.js';

interface StoredRecord {
  record: ClusterRecord;
  lease?: { owner: string; until: number };
}
interface StateFile {
  eksguardState: 1;
  records: Record<string, StoredRecord>;
  claims?: Record<string, { owner: string; until: number }>;
}

export class FileStateStore implements StateStore {
  constructor(
    private readonly file: string,
    private readonly clock: () => number = Date.now,
  ) {}

  private read(): StateFile {
    if (!existsSync(this.file)) return { eksguardState: 1, records: {} };
    let parsed: StateFile;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8')) as StateFile;
    } catch (error) {
      throw new Error(`${this.file}: not an eksguard state file (${(error as Error).message})`);
    }
    if (parsed?.eksguardState !== 1 || typeof parsed.records !== 'object') throw new Error(`${this.file}: not an eksguard state file (expected {"eksguardState": 1, "records": {...}})`);
    return parsed;
  }

  private write(state: StateFile): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state, null, 1)}\n`);
    renameSync(temporary, this.file);
  }

  async loadRegion(account: string, region: string): Promise<ClusterRecord[]> {
    return Object.values(this.read().records)
      .map((s) => s.record)
      .filter((r) => r.account === account && r.region === region);
  }

  private update(key: ClusterKey, expectedVersion: number | undefined, owner: string | undefined, change: (stored: StoredRecord | undefined) => StoredRecord | undefined): void {
    const state = this.read();
    const id = keyString(key);
    const stored = state.records[id];
    if (stored?.record.version !== expectedVersion || !leaseAllows(stored?.lease, owner, this.clock())) throw new StateConflictError(key);
    const next = change(stored);
    if (next) state.records[id] = next;
    this.write(state);
  }

  async acquireLease(key: ClusterKey, expectedVersion: number | undefined, owner: string, until: Date): Promise<number> {
    const version = (expectedVersion ?? 0) + 1;
    this.update(key, expectedVersion, undefined, (stored) => ({
      record: { ...(stored?.record ?? { ...key, findings: {}, scanId: owner, updatedAt: new Date(this.clock()).toISOString() }), version },
      lease: { owner, until: until.getTime() },
    }));
    return version;
  }

  async releaseLease(key: ClusterKey, owner: string): Promise<void> {
    const state = this.read();
    const stored = state.records[keyString(key)];
    if (stored?.lease?.owner !== owner) return;
    delete stored.lease;
    this.write(state);
  }

  async save(record: ClusterRecord, expectedVersion: number | undefined, leaseOwner?: string): Promise<void> {
    this.update(record, expectedVersion, leaseOwner, () => ({ record: { ...record, version: (expectedVersion ?? 0) + 1 } }));
  }

  async claim(scope: { account: string; region: string }, name: string, owner: string, until: Date): Promise<boolean> {
    const state = this.read();
    const id = `${scope.account}/${scope.region}/${name}`;
    const held = state.claims?.[id];
    if (!leaseAllows(held, owner, this.clock())) return false;
    state.claims = { ...state.claims, [id]: { owner, until: until.getTime() } };
    this.write(state);
    return true;
  }

  async releaseClaim(scope: { account: string; region: string }, name: string, owner: string): Promise<void> {
    const state = this.read();
    const id = `${scope.account}/${scope.region}/${name}`;
    if (state.claims?.[id]?.owner !== owner) return;
    delete state.claims[id];
    this.write(state);
  }
}
