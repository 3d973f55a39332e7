// SPDX-License-Identifier: MIT
// BullMQ's own side of bench_queues, on ONE connection shared by every Queue:
//  (a) Promise.all(queues.map(q => q.getJobCounts()))   (b) huge.getJobs(['failed'], 99990, 99999)
// Prints {"counts": {"bestMs", "medianMs", "commands"}, "page": {…}} (commands per refresh from
// INFO commandstats, measured on a second connection).
//   node bench_node.js REDIS_URL ROUNDS QUEUE...
'use strict';
const path = require('path');
const modules = path.join(process.env.BULLPEN_INTEROP_DIR || path.join(__dirname, '../../tests/interop'), 'node_modules');
const { Queue } = require(path.join(modules, 'bullmq6'));
const IORedis = require(path.join(modules, 'ioredis'));

const [url, roundsArg, ...names] = process.argv.slice(2);
const rounds = Number(roundsArg);

async function commandCount(admin) {
  const text = await admin.info('commandstats');
  let calls = 0;
  for (const m of text.matchAll(/calls=(\d+)/g)) calls += Number(m[1]);
  return calls;
}

async function measure(admin, fn) {
  await fn(); // warm-up: scripts loaded, connection ready
  const times = [];
  for (let i = 0; i < rounds; ++i) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const before = await commandCount(admin);
  await fn();
  const after = await commandCount(admin);
  times.sort((a, b) => a - b);
  // The INFO call that read `after` counts itself once.
  return { bestMs: times[0], medianMs: times[Math.floor(times.length / 2)], commands: after - before - 1 };
}

(async () => {
  const connection = new IORedis(url, { maxRetriesPerRequest: null });
  const admin = new IORedis(url);
  const queues = names.map(name => new Queue(name, { connection, skipMetasUpdate: true }));
  const huge = queues[queues.length - 1];
  const counts = await measure(admin, () => Promise.all(queues.map(q => q.getJobCounts())));
  const page = await measure(admin, async () => {
    const jobs = await huge.getJobs(['failed'], 99990, 99999);
    if (jobs.length !== 10) throw new Error(`expected 10 jobs, got ${jobs.length}`);
  });
  process.stdout.write(JSON.stringify({ counts, page }) + '\n', () => process.exit(0));
})().catch(err => {
  console.error('bench_node failed:', err);
  process.exit(1);
});
