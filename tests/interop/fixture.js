// SPDX-License-Identifier: MIT
// Builds, with the real library of one version, queues holding jobs in every state, then keeps
// running as the live worker that holds the active jobs until it is killed.
//   node fixture.js LIB REDIS_URL      LIB: bullmq6 | bullmq5 | bullmq4 | bull
// Prints one line "READY <json>" when everything is in place.
'use strict';
const IORedis = require('ioredis');

const [lib, url] = process.argv.slice(2);
if (!lib || !url) {
  console.error('usage: node fixture.js LIB REDIS_URL');
  process.exit(2);
}
const isBull = lib === 'bull';
const major = isBull ? 0 : Number(lib.replace('bullmq', ''));
const raw = new IORedis(url, { maxRetriesPerRequest: null });

function connection() {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port), db: Number(u.pathname.slice(1) || 0), maxRetriesPerRequest: null };
}

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

const BIG = 'x'.repeat(5 * 1024 * 1024);
const hold = new Promise(() => {});
let special = {}; // never settles: keeps the active jobs active

// Jobs whose hash we then change behind the library's back: non-JSON data, binary data and an
// unknown field. (The "removed mid-read" job is a hash deleted while its id stays listed.)
async function oddities(prefix, queue, ids) {
  const key = id => `${prefix}:${queue}:${id}`;
  await raw.hset(key(ids.odd), 'data', 'not json {', 'x-extra', 'kept and shown');
  await raw.hset(key(ids.bin), 'data', Buffer.from([0xff, 0xfe, 0x00, 0x41]));
}

async function noise(prefix) {
  // Keys that look like queue keys but are not queues.
  await raw.hset(`${prefix}::relay:{ns}:layout`, 'layout', '1');
  await raw.hset(`${prefix}::relay:{ns}:x:meta`, 'a', '1');
  await raw.set(`${prefix}::relay:id`, '7');
  await raw.hset(`${prefix}:alpha:custom:meta`, 'data', '{}', 'opts', '{}', 'name', 'job-with-id-ending-in-meta');
  await raw.set('cache:user:id', 'not-a-counter');
}

async function bullmqFixture() {
  const { Queue, Worker, FlowProducer } = require(lib);
  const conn = connection();
  const prefix = 'bull';
  const alpha = new Queue('alpha', { connection: conn, prefix });

  await alpha.add('ok-1', { n: 1 });
  await alpha.add('ok-2', { n: 2 });
  await alpha.add('fail-1', { n: 3 });
  await alpha.add('fail-2', { n: 4 }, { attempts: 2 });
  const manual = new Worker('alpha', null, { connection: conn, prefix });
  const token = 'fixture-token';
  const next = async () => {
    const job = await manual.getNextJob(token);
    if (!job) throw new Error('no job to process');
    return job;
  };
  let job = await next();
  await job.moveToCompleted({ done: 1 }, token, false);
  job = await next();
  await job.updateProgress(50);
  await job.log('step one');
  await job.log('step two');
  await job.updateProgress({ pct: 100 });
  await job.moveToCompleted('plain string', token, false);
  job = await next();
  await job.moveToFailed(new Error('boom'), token, false);
  job = await next();
  await job.moveToFailed(new Error('first attempt failed'), token, false);
  job = await next(); // the retry of fail-2
  await job.moveToFailed(new Error('second attempt failed'), token, false);
  await manual.close();

  await alpha.add('w-1', { i: 1 });
  await alpha.add('big', { blob: BIG });
  const gone = await alpha.add('w-gone', { i: 4 });
  await alpha.add('w-2', { i: 5 });
  await alpha.add('d-1', { d: 1 }, { delay: 3600000 });
  await alpha.add('d-2', { d: 2 }, { delay: 7200000 });
  await alpha.add('p-1', { p: 5 }, { priority: 5 });
  await alpha.add('p-2', { p: 1 }, { priority: 1 });
  await raw.del(`${prefix}:alpha:${gone.id}`);

  // The libraries' getJobs() throws on these, so they live in a queue of their own.
  const oddQ = new Queue('odd', { connection: conn, prefix });
  await oddQ.add('o-1', { i: 1 });
  const odd = await oddQ.add('w-odd', { i: 2 });
  const bin = await oddQ.add('w-bin', { i: 3 });
  await oddQ.add('o-2', { i: 4 });
  await oddities(prefix, 'odd', { odd: odd.id, bin: bin.id });

  const flow = new FlowProducer({ connection: conn, prefix });
  await flow.add({
    name: 'parent', queueName: 'alpha', data: { parent: true },
    children: [
      { name: 'ok', queueName: 'kids', data: { c: 1 } },
      { name: 'hold', queueName: 'kids', data: { c: 2 } },
    ],
  });
  await flow.close();

  const kidsWorker = new Worker('kids', async j => {
    if (j.name === 'hold') {
      await j.log('holding');
      await j.updateProgress(10);
      return hold;
    }
    return { child: 'done' };
  }, { connection: conn, prefix, concurrency: 2, name: major >= 5 ? 'fixture-worker' : undefined });
  const kids = new Queue('kids', { connection: conn, prefix });
  await Promise.all([
    once(kidsWorker, 'completed'),
    once(kidsWorker, 'active', j => j.name === 'hold'),
  ]);
  // wait until the held job has written its log and progress
  while ((await kids.getJobLogs((await kids.getActive())[0].id)).count < 1) await new Promise(r => setTimeout(r, 20));

  const paused = new Queue('paused-q', { connection: conn, prefix });
  await paused.add('pz-1', { z: 1 });
  await paused.add('pz-2', { z: 2 });
  await paused.pause();
  await paused.add('pz-3', { z: 3 });

  const emails = new Queue('emails', { connection: conn, prefix: 'my:app' });
  await emails.add('welcome', { to: 'a@example.com' });
  await emails.add('digest', { to: 'b@example.com' });
  await emails.add('later', { to: 'c@example.com' }, { delay: 60000 });

  const tagged = new Queue('tagged', { connection: conn, prefix: '{bull}' });
  await tagged.add('t-1', { t: 1 });

  const cron = new Queue('cron', { connection: conn, prefix });
  if (major >= 5) await cron.upsertJobScheduler('every-hour', { every: 3600000 }, { name: 'tick', data: { tick: true } });
  else await cron.add('tick', { tick: true }, { repeat: { every: 3600000 } });

  await noise(prefix);
  special = { odd: odd.id, bin: bin.id, gone: gone.id };
  return [
    { prefix, name: 'alpha' }, { prefix, name: 'odd' }, { prefix, name: 'kids' }, { prefix, name: 'paused-q' }, { prefix, name: 'cron' },
    { prefix: 'my:app', name: 'emails' }, { prefix: '{bull}', name: 'tagged' },
  ];
}

async function bullFixture() {
  const Queue = require('bull');
  const prefix = 'bull';
  const make = (name, p = prefix) => new Queue(name, url, { prefix: p });
  const alpha = make('alpha');
  await alpha.add('ok-1', { n: 1 });
  await alpha.add('ok-2', { n: 2 });
  await alpha.add('fail-1', { n: 3 });
  await alpha.add('fail-2', { n: 4 }, { attempts: 2 });
  let job = await alpha.getNextJob();
  await job.moveToCompleted({ done: 1 }, false, true);
  job = await alpha.getNextJob();
  await job.progress(50);
  await job.log('step one');
  await job.log('step two');
  await job.progress({ pct: 100 });
  await job.moveToCompleted('plain string', false, true);
  job = await alpha.getNextJob();
  await job.moveToFailed(new Error('boom'), false);
  job = await alpha.getNextJob();
  await job.moveToFailed(new Error('first attempt failed'), false);
  job = await alpha.getNextJob();
  await job.moveToFailed(new Error('second attempt failed'), false);

  await alpha.add('w-1', { i: 1 });
  await alpha.add('big', { blob: BIG });
  const gone = await alpha.add('w-gone', { i: 4 });
  await alpha.add('w-2', { i: 5 });
  await alpha.add('d-1', { d: 1 }, { delay: 3600000 });
  await alpha.add('d-2', { d: 2 }, { delay: 7200000 });
  await alpha.add('p-1', { p: 5 }, { priority: 5 });
  await alpha.add('p-2', { p: 1 }, { priority: 1 });
  await raw.del(`${prefix}:alpha:${gone.id}`);

  const oddQ = make('odd');
  await oddQ.add('o-1', { i: 1 });
  const odd = await oddQ.add('w-odd', { i: 2 });
  const bin = await oddQ.add('w-bin', { i: 3 });
  await oddQ.add('o-2', { i: 4 });
  await oddities(prefix, 'odd', { odd: odd.id, bin: bin.id });

  const kids = make('kids');
  const active = new Promise(resolve => kids.on('active', j => { if (j.name === 'hold') resolve(); }));
  kids.process('*', 1, async j => {
    await j.log('holding');
    await j.progress(10);
    return hold;
  });
  await kids.add('hold', { c: 2 });
  await active;
  while ((await kids.getJobLogs((await kids.getActive())[0].id)).count < 1) await new Promise(r => setTimeout(r, 20));

  const paused = make('paused-q');
  await paused.add('pz-1', { z: 1 });
  await paused.add('pz-2', { z: 2 });
  await paused.pause();
  await paused.add('pz-3', { z: 3 });

  const emails = make('emails', 'my:app');
  await emails.add('welcome', { to: 'a@example.com' });
  await emails.add('digest', { to: 'b@example.com' });
  await emails.add('later', { to: 'c@example.com' }, { delay: 60000 });

  const cron = make('cron');
  await cron.add('tick', { tick: true }, { repeat: { every: 3600000 } });

  await noise(prefix);
  special = { odd: String(odd.id), bin: String(bin.id), gone: String(gone.id) };
  return [
    { prefix, name: 'alpha' }, { prefix, name: 'odd' }, { prefix, name: 'kids' }, { prefix, name: 'paused-q' }, { prefix, name: 'cron' },
    { prefix: 'my:app', name: 'emails' },
  ];
}

(async () => {
  const queues = isBull ? await bullFixture() : await bullmqFixture();
  process.stdout.write('READY ' + JSON.stringify({ lib, queues, special }) + '\n');
})().catch(err => {
  console.error('fixture failed:', err);
  process.exit(1);
});
process.on('SIGTERM', () => process.exit(0));
