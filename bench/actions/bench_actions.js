// SPDX-License-Identifier: MIT
// Helpers of bench_actions (BullMQ 6, from tests/interop/node_modules):
//   node bench_actions.js build URL N STATE   one real job of queue "bench" in STATE (failed or
//       completed) made by a real Worker, then cloned to N jobs (COPY of the hash, same score
//       pattern), in db 0 and copied to db 1. Prints "READY".
//   node bench_actions.js retry URL/DB        times queue.retryJobs({ state: 'failed' }), prints {ms}
//   node bench_actions.js clean URL/DB N      times queue.clean(0, N, 'completed'), prints {ms}
//   node bench_actions.js ping URL            PING every ms until "stop" on stdin; prints {worstMs, pings}
'use strict';
const path = require('path');
const dir = process.env.BULLPEN_INTEROP_DIR;
const req = m => require(path.join(dir, 'node_modules', m));
const IORedis = req('ioredis');
const { Queue, Worker } = req('bullmq6');

const [cmd, url, ...rest] = process.argv.slice(2);
const u = new URL(url);
const db = Number(u.pathname.slice(1) || 0);
const connection = { host: u.hostname, port: Number(u.port), db, maxRetriesPerRequest: null };
const prefix = 'bull';

async function build() {
  const n = Number(rest[0]);
  const state = rest[1];
  const r = new IORedis(connection);
  await r.flushall();
  const q = new Queue('bench', { connection, prefix });
  await q.add('job', { some: 'data', n: 1 });
  const w = new Worker('bench', null, { connection, prefix });
  const j = await w.getNextJob('t');
  if (state === 'failed') await j.moveToFailed(new Error('boom'), 't', false);
  else await j.moveToCompleted({ ok: 1 }, 't', false);
  await w.close();
  const finishedOn = Number(await r.hget(`${prefix}:bench:1`, 'finishedOn'));
  // The queue as it is now (a handful of keys) into db 1, then the same jobs made in the same
  // order in both databases: copying 100,000 job hashes in SCAN order would scatter db 1's
  // hashes in memory and make every per-job command there measurably slower (HDEL 2.2 µs
  // instead of 0.7 µs), whichever tool acts on it.
  let cursor = '0';
  do {
    const [c, keys] = await r.scan(cursor, 'COUNT', 1000);
    cursor = c;
    const p = r.pipeline();
    for (const k of keys) p.copy(k, k, 'DB', 1, 'REPLACE');
    await p.exec();
  } while (cursor !== '0');
  const r1 = new IORedis({ ...connection, db: 1 });
  for (const client of [r, r1]) {
    for (let i = 2; i <= n; i += 1000) {
      const p = client.pipeline();
      for (let id = i; id < i + 1000 && id <= n; ++id) {
        p.copy(`${prefix}:bench:1`, `${prefix}:bench:${id}`);
        p.zadd(`${prefix}:bench:${state}`, finishedOn - n + id, String(id));
      }
      await p.exec();
    }
    await client.set(`${prefix}:bench:id`, n);
  }
  await r1.quit();
  await q.close();
  await r.quit();
  console.log('READY');
}

async function timed(fn) {
  const q = new Queue('bench', { connection, prefix });
  await q.waitUntilReady();
  const t = process.hrtime.bigint();
  await fn(q);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  await q.close();
  console.log(JSON.stringify({ ms }));
}

async function ping() {
  const r = new IORedis(connection);
  await r.ping();
  let worst = 0, pings = 0, stop = false;
  process.stdin.on('data', d => { if (String(d).includes('stop')) stop = true; });
  console.log('PINGING');
  while (!stop) {
    const t = process.hrtime.bigint();
    await r.ping();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (ms > worst) worst = ms;
    ++pings;
    await new Promise(res => setTimeout(res, 1));
  }
  console.log(JSON.stringify({ worstMs: worst, pings }));
  await r.quit();
}

(async () => {
  if (cmd === 'build') await build();
  else if (cmd === 'retry') await timed(q => q.retryJobs({ state: 'failed' }));
  else if (cmd === 'clean') await timed(q => q.clean(0, Number(rest[0]), 'completed'));
  else if (cmd === 'ping') await ping();
  else throw new Error('unknown command ' + cmd);
  process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });
