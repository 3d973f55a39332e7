// SPDX-License-Identifier: MIT
// Live traffic on one queue, with the real library: adds a job every 50 ms and a worker completes
// it, until killed. Prints "ADDED <id>" per job, so a test can tell new events from old ones.
//   node traffic.js LIB REDIS_URL QUEUE      LIB: bullmq6 | bullmq5 | bullmq4 | bull
'use strict';
const [lib, url, name] = process.argv.slice(2);
if (!lib || !url || !name) {
  console.error('usage: node traffic.js LIB REDIS_URL QUEUE');
  process.exit(2);
}

function connection() {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port), db: Number(u.pathname.slice(1) || 0), maxRetriesPerRequest: null };
}

(async () => {
  let queue;
  if (lib === 'bull') {
    const Queue = require('bull');
    queue = new Queue(name, url);
    queue.process('tick', async job => ({ doubled: job.data.n * 2 }));
  } else {
    const { Queue, Worker } = require(lib);
    queue = new Queue(name, { connection: connection() });
    new Worker(name, async job => ({ doubled: job.data.n * 2 }), { connection: connection() });
  }
  let n = 0;
  setInterval(async () => {
    const job = await queue.add('tick', { n: ++n });
    process.stdout.write(`ADDED ${job.id}\n`);
  }, 50);
})().catch(err => {
  console.error('traffic failed:', err);
  process.exit(1);
});
