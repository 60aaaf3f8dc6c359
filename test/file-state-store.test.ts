/** The file state store under overlapping processes, and its refusal to touch a file that is not its own. */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_DIR, PACKAGE_ROOT } from '../functions/cli/paths.js';
import { loadBaseSnapshot } from '../functions/policy-files/policy-cases.js';
import { checkStateFile, FileStateStore, StateFileError, StateLockedError } from '../functions/state/file-state-store.js';

const run = promisify(execFile);
const tempFile = () => join(mkdtempSync(join(tmpdir(), 'eksguard-state-')), 'state.json');

describe('FileStateStore across processes', () => {
  it('loses no write when four processes save over the versions they read', async () => {
    const file = tempFile();
    const rounds = 40;
    const outputs = await Promise.all(
      ['a', 'b', 'c', 'd'].map((writer) =>
        run(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'test/support/state-writer.ts'), file, writer, String(rounds)], { cwd: PACKAGE_ROOT }),
      ),
    );
    const counts = outputs.map((o) => JSON.parse(o.stdout) as { saved: number; conflicts: number });
    const saved = counts.reduce((sum, c) => sum + c.saved, 0);
    const [record] = await new FileStateStore(file).loadRegion('111122223333', 'us-east-1');
    // Each successful save moved the version by one: a lost write would leave it lower.
    expect(record?.version).toBe(saved);
    expect(counts.every((c) => c.saved + c.conflicts === rounds)).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
  }, 120_000);

  it('takes over the lock a crashed scan left once it is stale', async () => {
    const file = tempFile();
    mkdirSync(`${file}.lock`);
    const past = new Date(Date.now() - 60_000);
    const { utimesSync } = await import('node:fs');
    utimesSync(`${file}.lock`, past, past);
    const store = new FileStateStore(file);
    await store.save({ account: '111122223333', region: 'us-east-1', cluster: 'c', version: 0, findings: {}, scanId: 's', updatedAt: 'x' }, undefined);
    expect((await store.loadRegion('111122223333', 'us-east-1')).map((r) => r.version)).toEqual([1]);
  });

  it('waits for a live lock, then gives up with a message naming the file', async () => {
    const file = tempFile();
    mkdirSync(`${file}.lock`);
    const store = new FileStateStore(file, Date.now, { retries: 3, factor: 1, minTimeout: 20, maxTimeout: 20, randomize: false });
    const started = Date.now();
    const saving = store.save({ account: '111122223333', region: 'us-east-1', cluster: 'c', version: 0, findings: {}, scanId: 's', updatedAt: 'x' }, undefined);
    await expect(saving).rejects.toBeInstanceOf(StateLockedError);
    await expect(saving).rejects.toThrow(`${file} is locked by another eksguard scan (${file}.lock) and stayed locked; run again once it has finished`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(existsSync(file)).toBe(false);
  });
});

describe('checkStateFile', () => {
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"eksguardState": 1, "records": {', /not an eksguard state file: it is not JSON/],
    ["another program's JSON", '{"terraform_version": "1.9.0"}', /not an eksguard state file \(expected a JSON object with "eksguardState": 1\)/],
    [
      'a damaged record',
      '{"eksguardState": 1, "records": {"x": {"record": {"account": "1", "region": "r", "cluster": "c", "version": "two", "findings": {}}}}}',
      /damaged eksguard state file: records\.x\.record\.version/,
    ],
    ['an empty file', '', /not an eksguard state file: it is not JSON/],
  ];
  for (const [what, content, message] of cases) {
    it(`refuses ${what}, naming the file, and leaves it unchanged`, async () => {
      const file = tempFile();
      writeFileSync(file, content);
      expect(() => checkStateFile(file)).toThrow(StateFileError);
      expect(() => checkStateFile(file)).toThrow(message);
      expect(() => checkStateFile(file)).toThrow(file);
      await expect(new FileStateStore(file).save({ account: '1', region: 'r', cluster: 'c', version: 0, findings: {}, scanId: 's', updatedAt: 'x' }, undefined)).rejects.toThrow(
        StateFileError,
      );
      expect(readFileSync(file, 'utf8')).toBe(content);
    });
  }

  it('accepts a missing file in a writable folder, and refuses one whose folder does not exist', () => {
    expect(() => checkStateFile(tempFile())).not.toThrow();
    expect(() => checkStateFile(join(tmpdir(), 'no-such-folder-eksguard', 'state.json'))).toThrow(/cannot be created: .* is not a writable folder/);
  });
});

describe('FileStateStore reading records of earlier versions', () => {
  it('returns a snapshot stored before v1.1 with the later sections marked as not collected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eksguard-state-'));
    const file = join(dir, 'state.json');
    const { networkAcls: _a, vpcEndpoints: _e, prefixLists: _p, ...v1 } = loadBaseSnapshot(DEFAULT_POLICY_DIR);
    const record = { account: v1.account, region: v1.region, cluster: v1.cluster.name, version: 1, findings: {}, scanId: 's', updatedAt: v1.collectedAt, snapshot: v1 };
    writeFileSync(file, JSON.stringify({ eksguardState: 1, records: { [`${v1.account}/${v1.region}/${v1.cluster.name}`]: { record } } }));
    const [loaded] = await new FileStateStore(file).loadRegion(v1.account, v1.region);
    expect(loaded!.snapshot!.vpcEndpoints).toEqual({});
    expect(Object.keys(loaded!.snapshot!.errors).sort()).toEqual(['networkAcls', 'prefixLists', 'vpcEndpoints']);
    expect(loaded!.snapshot!.subnets).toEqual(v1.subnets);
  });
});
