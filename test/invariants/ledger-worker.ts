// A separate OS process that hammers the same store as its parent with random transfers
// and reversals, printing each acknowledged (committed) entry id as one JSON line.
import { envConfig } from '../../src/config/config.ts';
import { openEnvironment } from '../../src/platform.ts';
import { postEntry, reverseEntry } from '../../src/ledger/ledger.ts';
import { InvariantError } from '../../src/ledger/invariants.ts';

const [accountsCsv, countText, seedText] = process.argv.slice(2);
const accounts = accountsCsv.split(',');
let seed = Number(seedText) >>> 0;
// mulberry32: a small deterministic generator, so a failing run can be replayed.
const rnd = (n: number) => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) % n;
};

const ctx = await openEnvironment(envConfig('sandbox', {}, process.env));
const mine: string[] = [];
for (let i = 0; i < Number(countText); i++) {
  try {
    if (mine.length && rnd(4) === 0) {
      const target = mine[rnd(mine.length)];
      const rev = await ctx.store.tx((tx) => reverseEntry(tx, target, { description: 'rev', nowMs: Date.now() }));
      process.stdout.write(`${JSON.stringify({ ack: rev.id, reverses: target })}\n`);
    } else {
      const from = accounts[rnd(accounts.length)];
      let to = accounts[rnd(accounts.length)];
      if (to === from) to = accounts[(accounts.indexOf(from) + 1) % accounts.length];
      const amount = 1 + rnd(3_000);
      const e = await ctx.store.tx((tx) => postEntry(tx, {
        kind: 'transfer', description: 'w', refPrefix: 'T', nowMs: Date.now(),
        postings: [{ accountId: from, amountMinor: -amount }, { accountId: to, amountMinor: amount }],
      }));
      mine.push(e.id);
      process.stdout.write(`${JSON.stringify({ ack: e.id })}\n`);
    }
  } catch (e) {
    if (!(e instanceof InvariantError)) throw e;
  }
}
await ctx.store.close();
