/**
 * A separate process hammering one state file (for the file store's overlap test): `rounds`
 * times it reads the record of cluster "shared" and saves it over the version it read. Prints
 * {"saved": n, "conflicts": m}. Every save that succeeded must show in the final version.
 */
import { FileStateStore } from '../../functions/state/file-state-store.js';
import { StateConflictError } from '../../functions/app/ports.js';

const [file, writer, roundsText] = process.argv.slice(2);
const store = new FileStateStore(file!);
const key = { account: '111122223333', region: 'us-east-1', cluster: 'shared' };
let saved = 0;
let conflicts = 0;
for (let round = 0; round < Number(roundsText); round++) {
  const current = (await store.loadRegion(key.account, key.region)).find((r) => r.cluster === key.cluster);
  try {
    await store.save({ ...key, version: 0, findings: {}, scanId: `${writer}-${round}`, updatedAt: new Date().toISOString() }, current?.version);
    saved++;
  } catch (error) {
    if (!(error instanceof StateConflictError)) throw error;
    conflicts++;
  }
}
process.stdout.write(`${JSON.stringify({ saved, conflicts })}\n`);
