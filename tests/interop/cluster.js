// SPDX-License-Identifier: MIT
// BullMQ 6 on a Redis Cluster through an ioredis Cluster connection, as BullMQ's docs ask: every
// key of a queue under one hash tag, here the prefix ("{bull}"), so that its Lua scripts touch
// one slot.
//   node cluster.js fixture SEEDS PREFIXES   SEEDS: host:port[,host:port...]; PREFIXES: JSON array
//     builds queues with jobs in every state under each prefix, keeps a worker holding the active
//     ones, prints "READY <json>" ({queues: [{prefix, name, counts, ids}]}) and runs until killed.
//   node cluster.js work SEEDS PREFIX QUEUE ID...
//     runs a real Worker on the queue until every ID is completed, prints "DONE <json>"
//     ({states: {id: state}, returned: {id: returnvalue}}) and exits.
'use strict';
const { Cluster } = require('ioredis');
const { Queue, Worker, FlowProducer } = require('bullmq6');

const [mode, seedList, ...rest] = process.argv.slice(2);
if (!mode || !seedList) {
  console.error('usage: node cluster.js fixture SEEDS PREFIXES | work SEEDS PREFIX QUEUE ID...');
  process.exit(2);
}
const seeds = seedList.split(',').map(s => {
  const [host, port] = s.split(':');
  return { host, port: Number(port) };
});
const connection = () => new Cluster(seeds, { redisOptions: { maxRetriesPerRequest: null } });
const hold = new Promise(() => {}); // never settles: keeps the active jobs active

function once(emitter, event, predicate) {
  return new Promise(resolve => {
    const on = (...args) => {
      if (!predicate || predicate(...args)) {
        emitter.off(event, on);
        resolve(args);
      }
    };
    emitter.on(event, on);
  });
}

// One queue per prefix with a job in every state: completed, failed, delayed, waiting,
// prioritized, waiting-children (a flow), active (held by a live worker); and a paused queue.
async function build(prefix, conn, workers) {
  const queue = new Queue('orders', { connection: conn, prefix });
  await queue.add('ok', { n: 1 });
  await queue.add('bad', { n: 2 });
  const manual = new Worker('orders', null, { connection: conn, prefix });
  const token = 'cluster-fixture';
  let job = await manual.getNextJob(token);
  await job.updateProgress(100);
  await job.log('done in the fixture');
  await job.moveToCompleted({ ok: true }, token, false);
  job = await manual.getNextJob(token);
  await job.moveToFailed(new Error('boom on the cluster'), token, false);
  const failed = job.id;
  await manual.close();

  const delayed = (await queue.add('later', { n: 3 }, { delay: 3600000 })).id;
  await queue.add('later-2', { n: 4 }, { delay: 7200000 });
  await queue.add('urgent', { n: 5 }, { priority: 3 });
  const flow = new FlowProducer({ connection: conn, prefix });
  const tree = await flow.add({
    name: 'parent', queueName: 'orders', data: { parent: true },
    children: [{ name: 'child', queueName: 'parts', data: { c: 1 } }],
  });
  await flow.close();

  // The active job: a worker with concurrency 1 holding it, so that it takes no other.
  await queue.add('hold', { n: 6 }, { priority: 1 });
  const holder = new Worker('orders', async () => hold, { connection: conn, prefix, concurrency: 1 });
  workers.push(holder);
  await once(holder, 'active');
  await queue.add('wait-1', { n: 7 });
  await queue.add('wait-2', { n: 8 });

  const paused = new Queue('paused', { connection: conn, prefix });
  await paused.add('pz', { z: 1 });
  await paused.pause();

  const out = [];
  for (const q of [queue, new Queue('parts', { connection: conn, prefix }), paused]) {
    out.push({ prefix, name: q.name, paused: await q.isPaused(), counts: await q.getJobCounts() });
  }
  out[0].ids = { failed, delayed, parent: tree.job.id };
  return out;
}

async function fixture() {
  const prefixes = JSON.parse(rest[0] || '["{bull}"]');
  const conn = connection();
  const workers = [];
  const queues = [];
  for (const prefix of prefixes) queues.push(...await build(prefix, conn, workers));
  console.log('READY ' + JSON.stringify({ queues }));
  await hold;
}

async function work() {
  const [prefix, name, ...ids] = rest;
  const conn = connection();
  const queue = new Queue(name, { connection: conn, prefix });
  const pending = new Set(ids);
  const worker = new Worker(name, async job => ({ workedOn: job.id }), { connection: conn, prefix, concurrency: 4 });
  const finished = new Promise(resolve => {
    worker.on('completed', job => {
      pending.delete(job.id);
      if (pending.size === 0) resolve();
    });
  });
  // Jobs completed before the listener ran count too.
  for (const id of ids) if ((await queue.getJobState(id)) === 'completed') pending.delete(id);
  if (pending.size > 0) await finished;
  const states = {};
  const returned = {};
  for (const id of ids) {
    states[id] = await queue.getJobState(id);
    returned[id] = (await queue.getJob(id)).returnvalue;
  }
  await worker.close();
  await queue.close();
  console.log('DONE ' + JSON.stringify({ states, returned }));
  await conn.quit();
  process.exit(0);
}

(mode === 'fixture' ? fixture() : work()).catch(e => {
  console.error(e && e.stack || e);
  process.exit(1);
});
