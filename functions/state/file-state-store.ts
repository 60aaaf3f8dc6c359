/**
 * The local state store of `eksguard scan --state FILE`: one JSON file. Every read-check-write
 * holds an exclusive lock (`FILE.lock`, proper-lockfile: an atomic mkdir, refreshed while held
 * and taken over once stale, so a crashed scan cannot block the next for long), and the file is
 * replaced atomically (temp file, fsync, rename), so readers never see half a file. The checks
 * are those of the DynamoDB store: a write expects the version it read and a free, expired or
 * own lease. Overlapping scans therefore never both publish the same news, and never lose a
 * write: the later one sees a conflict for the clusters the other handled.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, accessSync, writeSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { lock } from 'proper-lockfile';
import { z } from 'zod';
import { keyString, storedSnapshot, type ClusterKey, type ClusterRecord } from '../core/drift/record.js';
import { StateConflictError, StateStoreUnusableError, type StateStore } from '../app/ports.js';
import { leaseAllows } from './lease.js';

const Lease = z.object({ owner: z.string(), until: z.number() });
const StateFileSchema = z.object({
  eksguardState: z.literal(1),
  records: z.record(
    z.string(),
    z.object({
      record: z.looseObject({ account: z.string(), region: z.string(), cluster: z.string(), version: z.number().int(), findings: z.record(z.string(), z.unknown()) }),
      lease: Lease.optional(),
    }),
  ),
  claims: z.record(z.string(), Lease).optional(),
});

interface StoredRecord {
  record: ClusterRecord;
  lease?: { owner: string; until: number };
}
interface StateFile {
  eksguardState: 1;
  records: Record<string, StoredRecord>;
  claims?: Record<string, { owner: string; until: number }>;
}

/** The state file cannot be used: it is not an eksguard state file, is damaged, or cannot be written. */
export class StateFileError extends StateStoreUnusableError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'StateFileError';
  }
}

/** Another process held the state file's lock for longer than a scan's write takes. */
export class StateLockedError extends StateStoreUnusableError {
  constructor(readonly file: string) {
    super(`${file} is locked by another eksguard scan (${file}.lock) and stayed locked; run again once it has finished`);
    this.name = 'StateLockedError';
  }
}

function parseStateFile(file: string, text: string): StateFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(file, `not an eksguard state file: it is not JSON (${(error as Error).message}); it was left unchanged`);
  }
  if ((parsed as { eksguardState?: unknown } | null)?.eksguardState !== 1) {
    throw new StateFileError(
      file,
      'not an eksguard state file (expected a JSON object with "eksguardState": 1); it was left unchanged: give --state a new file or an eksguard state file',
    );
  }
  const checked = StateFileSchema.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new StateFileError(file, `damaged eksguard state file: ${issue.path.map(String).join('.')}: ${issue.message}; it was left unchanged`);
  }
  return parsed as StateFile;
}

/**
 * Checks, before any work, that `file` can serve as the state: either an eksguard state file,
 * or absent in a writable folder (it is created). Throws StateFileError naming what is wrong.
 */
export function checkStateFile(file: string): void {
  if (!existsSync(file)) {
    const folder = dirname(file);
    try {
      if (!statSync(folder).isDirectory()) throw new Error('not a folder');
      accessSync(folder, constants.W_OK);
    } catch (error) {
      throw new StateFileError(file, `cannot be created: ${folder} is not a writable folder (${(error as Error).message})`);
    }
    return;
  }
  if (!statSync(file).isFile()) throw new StateFileError(file, 'is not a regular file');
  parseStateFile(file, readFileSync(file, 'utf8'));
  try {
    accessSync(file, constants.W_OK);
    accessSync(dirname(file), constants.W_OK);
  } catch (error) {
    throw new StateFileError(file, `cannot be rewritten (${(error as Error).message})`);
  }
}

/** How long a writer waits for the lock: longer than a crashed holder's lock takes to go stale. */
const LOCK_STALE_MS = 10_000;
const LOCK_RETRIES = { retries: 40, factor: 1.2, minTimeout: 20, maxTimeout: 500, randomize: true };

export class FileStateStore implements StateStore {
  /** Operations of this process on the file, one after the other (the lock is per process). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly clock: () => number = Date.now,
    /** How long to wait for another process's lock (retry schedule of proper-lockfile). */
    private readonly lockRetries: typeof LOCK_RETRIES = LOCK_RETRIES,
  ) {}

  private read(): StateFile {
    if (!existsSync(this.file)) return { eksguardState: 1, records: {} };
    return parseStateFile(this.file, readFileSync(this.file, 'utf8'));
  }

  private write(state: StateFile): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, `${JSON.stringify(state, null, 1)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.file);
  }

  /** Runs `change` on the current state under the lock; it returns whether to write. */
  private transact<T>(change: (state: StateFile) => { write: boolean; value: T }): Promise<T> {
    const run = this.queue.then(async () => {
      let compromised: Error | undefined;
      let release: () => Promise<void>;
      try {
        release = await lock(this.file, {
          realpath: false,
          stale: LOCK_STALE_MS,
          retries: this.lockRetries,
          onCompromised: (error) => {
            compromised = error;
          },
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'ELOCKED') throw new StateLockedError(this.file);
        throw error;
      }
      try {
        const state = this.read();
        const outcome = change(state);
        // Only write while the lock is still ours (it is lost only if this process stalled past the stale time).
        if (compromised) throw new StateLockedError(this.file);
        if (outcome.write) this.write(state);
        return outcome.value;
      } finally {
        await release().catch(() => undefined);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async loadRegion(account: string, region: string): Promise<ClusterRecord[]> {
    // Writes replace the file atomically: a read without the lock sees one whole version.
    return Object.values(this.read().records)
      .map((s) => s.record)
      .filter((r) => r.account === account && r.region === region)
      .map((r) => (r.snapshot ? { ...r, snapshot: storedSnapshot(r.snapshot) } : r));
  }

  private update(key: ClusterKey, expectedVersion: number | undefined, owner: string | undefined, change: (stored: StoredRecord | undefined) => StoredRecord): Promise<void> {
    return this.transact((state) => {
      const id = keyString(key);
      const stored = state.records[id];
      if (stored?.record.version !== expectedVersion || !leaseAllows(stored?.lease, owner, this.clock())) throw new StateConflictError(key);
      state.records[id] = change(stored);
      return { write: true, value: undefined };
    });
  }

  async acquireLease(key: ClusterKey, expectedVersion: number | undefined, owner: string, until: Date): Promise<number> {
    const version = (expectedVersion ?? 0) + 1;
    await this.update(key, expectedVersion, undefined, (stored) => ({
      record: { ...(stored?.record ?? { ...key, findings: {}, scanId: owner, updatedAt: new Date(this.clock()).toISOString() }), version },
      lease: { owner, until: until.getTime() },
    }));
    return version;
  }

  releaseLease(key: ClusterKey, owner: string): Promise<void> {
    return this.transact((state) => {
      const stored = state.records[keyString(key)];
      if (stored?.lease?.owner !== owner) return { write: false, value: undefined };
      delete stored.lease;
      return { write: true, value: undefined };
    });
  }

  save(record: ClusterRecord, expectedVersion: number | undefined, leaseOwner?: string): Promise<void> {
    return this.update(record, expectedVersion, leaseOwner, () => ({ record: { ...record, version: (expectedVersion ?? 0) + 1 } }));
  }

  claim(scope: { account: string; region: string }, name: string, owner: string, until: Date): Promise<boolean> {
    return this.transact((state) => {
      const id = `${scope.account}/${scope.region}/${name}`;
      if (!leaseAllows(state.claims?.[id], owner, this.clock())) return { write: false, value: false };
      state.claims = { ...state.claims, [id]: { owner, until: until.getTime() } };
      return { write: true, value: true };
    });
  }

  releaseClaim(scope: { account: string; region: string }, name: string, owner: string): Promise<void> {
    return this.transact((state) => {
      const id = `${scope.account}/${scope.region}/${name}`;
      if (state.claims?.[id]?.owner !== owner) return { write: false, value: undefined };
      delete state.claims[id];
      return { write: true, value: undefined };
    });
  }
}
