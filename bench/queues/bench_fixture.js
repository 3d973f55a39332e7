// SPDX-License-Identifier: MIT
// Fixture of bench_queues: 100 BullMQ 6 queues with jobs in every state, and "huge" with
// 100,000 failed jobs (one failed by BullMQ itself, the rest copies of its hash with new ids).
//   node bench_fixture.js REDIS_URL
'use strict';
const path = require('path');
const modules = path.join(process.env.BULLPEN_INTEROP_DIR || path.join(__dirname, '../../tests/interop'), 'node_modules');
const { Queue, Worker, FlowProducer } = require(path.join(modules, 'bullmq6'));
const IORedis = require(path.join(modules, 'ioredis'));

const url = process.argv[2];
const u = new URL(url);
const connection = { host: u.hostname, port: Number(u.port), db: Number(u.pathname.slice(1) || 0), maxRetriesPerRequest: null };

async function queueInEveryState(name) {
  const q = new Queue(name, { connection });
  await q.addBulk([{ name: 'c', data: { i: 1 } }, { name: 'f', data: { i: 2 } }, { name: 'a', data: { i: 3 } }]);
  const w = new Worker(name, null, { connection });
  let job = await w.getNextJob('t');
  await job.moveToCompleted({ ok: true }, 't', false);
  job = await w.getNextJob('t');
  await job.moveToFailed(new Error('boom'), 't', false);
  await w.getNextJob('t'); // stays active (its lock expires; the bench only reads)
  await w.close();
  await q.addBulk([
    { name: 'w', data: { i: 4 } }, { name: 'w', data: { i: 5 } },
    { name: 'd', data: { i: 6 }, opts: { delay: 3600000 } },
    { name: 'p', data: { i: 7 }, opts: { priority: 3 } },
  ]);
  const flow = new FlowProducer({ connection });
  await flow.add({ name: 'parent', queueName: name, children: [{ name: 'child', queueName: name, data: {} }] });
  await flow.close();
  await q.close();
}

(async () => {
  const names = [];
  for (let i = 0; i < 100; ++i) names.push(`q${String(i).padStart(3, '0')}`);
  for (let i = 0; i < names.length; i += 10) await Promise.all(names.slice(i, i + 10).map(queueInEveryState));

  const huge = new Queue('huge', { connection });
  await huge.add('f', { payload: 'x'.repeat(200) });
  const w = new Worker('huge', null, { connection });
  const job = await w.getNextJob('t');
  await job.moveToFailed(new Error('boom'), 't', false);
  await w.close();
  const raw = new IORedis(url);
  const template = await raw.hgetall(`bull:huge:${job.id}`);
  const base = Number(template.finishedOn);
  for (let start = 2; start <= 100000; start += 2000) {
    const p = raw.pipeline();
    for (let id = start; id < start + 2000 && id <= 100000; ++id) {
      p.hset(`bull:huge:${id}`, Object.assign({}, template, { finishedOn: String(base + id) }));
      p.zadd('bull:huge:failed', base + id, String(id));
    }
    await p.exec();
  }
  await raw.set('bull:huge:id', '100000');
  await raw.quit();
  await huge.close();
  process.stdout.write(JSON.stringify({ queues: [...names, 'huge'] }) + '\n', () => process.exit(0));
})().catch(err => {
  console.error('bench fixture failed:', err);
  process.exit(1);
});
