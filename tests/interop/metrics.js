// SPDX-License-Identifier: MIT
// A queue whose worker records metrics (metrics: { maxDataPoints }), processing and failing jobs
// over simulated minutes: Date.now() is advanced by the processor, so the library's own Lua
// (collectMetrics) writes buckets for minutes that never passed on the wall clock. Then prints
// what queue.getMetrics() returns, as JSON on stdout.
//   node metrics.js LIB REDIS_URL      LIB: bullmq6 | bullmq5 | bullmq4 | bull
// Output: {"lib", "prefix", "queue", "maxDataPoints", "metrics": {"completed": …, "failed": …},
//          "ranges": {"completed:2:5": getMetrics('completed', 2, 5), …}, "plain": getMetrics('completed')
//          of a queue without metrics}
'use strict';

const [lib, url] = process.argv.slice(2);
if (!lib || !url) {
  console.error('usage: node metrics.js LIB REDIS_URL');
  process.exit(2);
}
const isBull = lib === 'bull';
const prefix = 'bull';
const name = 'metered';
const maxDataPoints = 30;

// A clock the processor moves forward; everything the library stamps reads it.
const realNow = Date.now.bind(Date);
let offset = 0;
Date.now = () => realNow() + offset;

// [minutes to advance before the job finishes, fail?]: several jobs in one minute, gaps of empty
// minutes, and one jump longer than maxDataPoints (the list is trimmed).
const plan = [
  [0, false], [0, false], [0, true], [0, false],
  [1, false], [0, true], [0, true], [0, false],
  [3, false],
  [45, false], [0, true],
  [2, false], [0, false], [0, false], [0, true], [0, false],
  [1, false], [0, true],
  [1, false],
];

function connection() {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port), db: Number(u.pathname.slice(1) || 0), maxRetriesPerRequest: null };
}

function process_(job) {
  offset += job.data.advance * 60000;
  if (job.data.fail) throw new Error(`planned failure ${job.data.i}`);
  return { i: job.data.i };
}

async function run() {
  let queue;
  let finished = 0;
  let done;
  const all = new Promise(resolve => { done = resolve; });
  const count = () => { if (++finished === plan.length) done(); };
  let worker;
  if (isBull) {
    const Queue = require('bull');
    queue = new Queue(name, url, { prefix, metrics: { maxDataPoints } });
    queue.on('completed', count);
    queue.on('failed', count);
    for (let i = 0; i < plan.length; ++i) await queue.add({ i, advance: plan[i][0], fail: plan[i][1] });
    queue.process(1, async job => process_(job));
  } else {
    const { Queue, Worker } = require(lib);
    queue = new Queue(name, { connection: connection(), prefix });
    for (let i = 0; i < plan.length; ++i) await queue.add('m', { i, advance: plan[i][0], fail: plan[i][1] });
    worker = new Worker(name, async job => process_(job), { connection: connection(), prefix, concurrency: 1, metrics: { maxDataPoints } });
    worker.on('completed', count);
    worker.on('failed', count);
  }
  await all;
  if (worker) await worker.close();
  else await queue.pause(true, true);

  // Bull returns the list's strings; BullMQ numbers (`+point || 0`): compared as numbers.
  const get = async (type, start, end) => {
    const m = start === undefined ? await queue.getMetrics(type) : await queue.getMetrics(type, start, end);
    return { meta: m.meta, data: m.data.map(p => +p || 0), count: m.count };
  };
  const out = { lib, prefix, queue: name, maxDataPoints, metrics: {}, ranges: {} };
  for (const type of ['completed', 'failed']) {
    out.metrics[type] = await get(type);
    for (const [s, e] of [[0, 0], [2, 5], [28, 40], [100, 120]]) out.ranges[`${type}:${s}:${e}`] = await get(type, s, e);
  }
  // A queue without metrics: getMetrics() reads absent keys as zeros and an empty list.
  let plain;
  if (isBull) {
    const Queue = require('bull');
    plain = new Queue('plain', url, { prefix });
    await plain.add({ n: 1 });
  } else {
    const { Queue } = require(lib);
    plain = new Queue('plain', { connection: connection(), prefix });
    await plain.add('p', { n: 1 });
  }
  const m = await plain.getMetrics('completed');
  out.plain = { meta: m.meta, data: m.data.map(p => +p || 0), count: m.count };
  await plain.close();
  await queue.close();
  process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(0));
}

run().catch(err => {
  console.error('metrics failed:', err);
  process.exit(1);
});
