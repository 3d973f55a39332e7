// SPDX-License-Identifier: MIT
// Differential tests of queue actions: the same starting state in two databases, the library's
// own method on one, bullpen-cli on the other, every key compared.
//   node actions.js build LIB URL [paused]     fixture in db 0, copied key by key (COPY) to db 1;
//                                              prints "READY <json of ids>"
//   node actions.js act LIB URL ACTION [ARG…]  the library's own method on db 0, then compares db 0
//                                              with db 1; prints the differences, exit 1 if any
//   node actions.js work LIB URL/DB ID…        a real Worker processes the queue until every ID
//                                              is completed (exit 0) or 20 s pass (exit 1)
// Normalisation (what legitimately differs): events stream entry ids (clock), Bull's retriedOn.
// Everything else — key types, list order, zset members and scores, hash fields — must be equal.
'use strict';
const IORedis = require('ioredis');

const [cmd, lib, url, ...rest] = process.argv.slice(2);
const isBull = lib === 'bull';
const prefix = 'bull';
const QNAME = 'act';

function connection(db) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port), db, maxRetriesPerRequest: null };
}
function base(db) {
  const u = new URL(url);
  return `redis://${u.hostname}:${u.port}/${db}`;
}

async function build() {
  const r0 = new IORedis(base(0));
  await r0.flushall();
  const ids = {};
  if (isBull) await bullBuild(ids);
  else await bullmqBuild(ids);
  // Same state in db 1, key by key (COPY keeps TTLs, stream ids, scores).
  let cursor = '0';
  do {
    const [c, keys] = await r0.scan(cursor, 'COUNT', 1000);
    cursor = c;
    for (const k of keys) await r0.copy(k, k, 'DB', 1, 'REPLACE');
  } while (cursor !== '0');
  await r0.quit();
  process.stdout.write('READY ' + JSON.stringify(ids) + '\n');
}

async function bullBuild(ids) {
  const Queue = require('bull');
  const q = new Queue(QNAME, base(0), { prefix });
  const run = async (name, opts, outcome) => {
    const added = await q.add(name, { name }, opts);
    const j = await q.getNextJob();
    if (String(j.id) !== String(added.id)) throw new Error(`expected ${added.id} got ${j.id}`);
    if (outcome === 'complete') await j.moveToCompleted({ ok: name }, false, true);
    else if (outcome === 'fail') await j.moveToFailed(new Error('boom ' + name), false);
    return String(j.id);
  };
  ids.completed = [await run('c1', {}, 'complete'), await run('c2', {}, 'complete')];
  ids.failed = [await run('f1', {}, 'fail'), await run('f2', {}, 'fail'), await run('f3', { priority: 3 }, 'fail'),
    await run('f4', { lifo: true }, 'fail')];
  ids.active = [await run('a1', {}, 'keep')];
  ids.waiting = [String((await q.add('w1', { w: 1 })).id)];
  ids.prioritized = [String((await q.add('p1', { p: 1 }, { priority: 1 })).id)];
  ids.waiting.push(String((await q.add('p3', { p: 3 }, { priority: 3 })).id));
  ids.delayed = [String((await q.add('d1', { d: 1 }, { delay: 3600000 })).id),
    String((await q.add('d2', { d: 2 }, { delay: 7200000, priority: 2 })).id)];
  if (rest[0] === 'paused') {
    await q.pause();
    ids.waiting.push(String((await q.add('w2', { w: 2 })).id));
  }
  await q.close();
}

async function bullmqBuild(ids) {
  const { Queue, Worker, FlowProducer } = require(lib);
  const conn = connection(0);
  const q = new Queue(QNAME, { connection: conn, prefix });
  const w = new Worker(QNAME, null, { connection: conn, prefix });
  const token = 'tok';
  const next = async () => {
    const j = await w.getNextJob(token);
    if (!j) throw new Error('no job');
    return j;
  };
  const run = async (name, opts, outcome) => {
    const added = await q.add(name, { name }, opts);
    const j = await next();
    if (j.id !== added.id) throw new Error(`expected ${added.id} got ${j.id}`);
    if (outcome === 'complete') await j.moveToCompleted({ ok: name }, token, false);
    else if (outcome === 'fail') await j.moveToFailed(new Error('boom ' + name), token, false);
    return j.id;
  };
  ids.completed = [await run('c1', {}, 'complete'), await run('c2', {}, 'complete')];
  ids.failed = [await run('f1', {}, 'fail'), await run('f2', {}, 'fail'), await run('f3', { priority: 3 }, 'fail'),
    await run('f4', { lifo: true }, 'fail')];
  ids.active = [await run('a1', {}, 'keep')];
  ids.waiting = [(await q.add('w1', { w: 1 })).id];
  ids.prioritized = [(await q.add('p1', { p: 1 }, { priority: 1 })).id];
  ids.delayed = [(await q.add('d1', { d: 1 }, { delay: 3600000 })).id, (await q.add('d2', { d: 2 }, { delay: 7200000, priority: 2 })).id];
  const flow = new FlowProducer({ connection: conn, prefix });
  const tree = await flow.add({ name: 'par', queueName: QNAME, data: {}, children: [{ name: 'ch', queueName: QNAME, data: {} }] });
  ids.parent = [tree.job.id];
  ids.child = [tree.children[0].job.id];
  await flow.close();
  if (rest[0] === 'paused') {
    await q.pause();
    ids.waiting.push((await q.add('w2', { w: 2 })).id);
  }
  await w.close();
  await q.close();
}

async function dump(db) {
  const r = new IORedis(base(db));
  const out = {};
  let cursor = '0';
  const keys = [];
  do {
    const [c, ks] = await r.scan(cursor, 'COUNT', 1000);
    cursor = c;
    keys.push(...ks);
  } while (cursor !== '0');
  keys.sort();
  for (const k of keys) {
    const type = await r.type(k);
    let v;
    if (type === 'string') v = await r.get(k);
    else if (type === 'list') v = await r.lrange(k, 0, -1);
    else if (type === 'set') v = (await r.smembers(k)).sort();
    else if (type === 'zset') v = await r.zrange(k, 0, -1, 'WITHSCORES');
    else if (type === 'hash') {
      const h = await r.hgetall(k);
      if (isBull) delete h.retriedOn;
      v = Object.keys(h).sort().map(f => [f, h[f]]);
    } else if (type === 'stream') v = (await r.xrange(k, '-', '+')).map(([, fields]) => fields); // entry ids: clock
    out[k] = { type, v };
  }
  await r.quit();
  return out;
}

async function compare() {
  const [a, b] = [await dump(0), await dump(1)];
  const diffs = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = JSON.stringify(a[k]), y = JSON.stringify(b[k]);
    if (x !== y) diffs.push(`${k}\n  library: ${x && x.slice(0, 600)}\n  bullpen: ${y && y.slice(0, 600)}`);
  }
  return diffs;
}

// queue.add() takes the time from Date.now(): let it see the timestamp Bullpen's add used in db 1
// for the id this add will get, so both databases can be compared key for key.
async function sameClock() {
  const r1 = new IORedis(base(1));
  const id = await r1.get(`${prefix}:${QNAME}:id`);
  const ts = Number(await r1.hget(`${prefix}:${QNAME}:${id}`, 'timestamp'));
  await r1.quit();
  if (!ts) throw new Error('no job added by bullpen in db 1');
  Date.now = () => ts;
}

// What `bullpen-cli duplicate` means, in the library's own words: the same name, data (or the
// given data), priority and attempts, added now.
async function duplicate(q, j, data) {
  const opts = {};
  if (j.opts.priority) opts.priority = j.opts.priority;
  if (j.opts.attempts !== undefined) opts.attempts = j.opts.attempts;
  await q.add(j.name, data ? JSON.parse(data) : j.data, opts);
}

// The library must refuse (obliterate of a queue with active jobs, without force).
async function refused(f) {
  try {
    await f();
  } catch (err) {
    if (/active/i.test(String(err && err.message))) return;
    throw err;
  }
  throw new Error('the library did not refuse');
}

async function bullAct(action, args) {
  const Queue = require('bull');
  const q = new Queue(QNAME, base(0), { prefix });
  const job = async id => {
    const j = await q.getJob(id);
    if (!j) throw new Error('no job ' + id);
    return j;
  };
  switch (action) {
  case 'retry': for (const id of args.slice(1)) await (await job(id)).retry(); break;
  case 'retry-all': await q.retryJobs(); break;
  case 'promote': for (const id of args) await (await job(id)).promote(); break;
  case 'promote-each-delayed': for (const j of await q.getDelayed()) await j.promote(); break;
  case 'remove': for (const id of args) { try { await (await job(id)).remove(); } catch (e) { /* locked: left alone */ } } break;
  case 'pause': await q.pause(); break;
  case 'resume': await q.resume(); break;
  case 'clean': await q.clean(Number(args[1]), args[0], Number(args[2])); break;
  case 'obliterate': await q.obliterate({ force: args[0] === 'force', count: Number(args[1] || 1000) }); break;
  case 'obliterate-refused': await refused(() => q.obliterate()); break;
  case 'add': await sameClock(); await q.add(args[0], JSON.parse(args[1]), JSON.parse(args[2] || '{}')); break;
  case 'duplicate': await sameClock(); await duplicate(q, await job(args[0]), args[1]); break;
  default: throw new Error('unknown action ' + action);
  }
  await q.close();
}

async function act() {
  const [action, ...args] = rest;
  if (isBull) {
    await bullAct(action, args);
    return report();
  }
  const { Queue, Job } = require(lib);
  const q = new Queue(QNAME, { connection: connection(0), prefix });
  const job = async id => {
    const j = await Job.fromId(q, id);
    if (!j) throw new Error('no job ' + id);
    return j;
  };
  switch (action) {
  case 'retry': for (const id of args.slice(1)) await (await job(id)).retry(args[0]); break;
  case 'retry-all': await q.retryJobs({ state: args[0] }); break;
  case 'promote': for (const id of args) await (await job(id)).promote(); break;
  case 'promote-each-delayed': for (const j of await q.getDelayed()) await j.promote(); break;
  case 'remove': for (const id of args) await q.remove(id); break;
  case 'pause': await q.pause(); break;
  case 'resume': await q.resume(); break;
  case 'clean': await q.clean(Number(args[1]), Number(args[2]), args[0]); break;
  case 'drain': await q.drain(); break;
  case 'drain-delayed': await q.drain(true); break;
  case 'obliterate': await q.obliterate({ force: args[0] === 'force', count: Number(args[1] || 1000) }); break;
  case 'obliterate-refused': await refused(() => q.obliterate()); break;
  case 'add': await sameClock(); await q.add(args[0], JSON.parse(args[1]), JSON.parse(args[2] || '{}')); break;
  case 'duplicate': await sameClock(); await duplicate(q, await job(args[0]), args[1]); break;
  default: throw new Error('unknown action ' + action);
  }
  await q.close();
  return report();
}

async function report() {
  const diffs = await compare();
  if (diffs.length) {
    process.stdout.write(diffs.join('\n') + '\n');
    process.exit(1);
  }
  process.stdout.write('SAME\n');
}

async function work() {
  const db = Number(new URL(url).pathname.slice(1) || 0);
  const want = new Set(rest);
  if (isBull) {
    const Queue = require('bull');
    const q = new Queue(QNAME, base(db), { prefix });
    const done = new Set();
    const timer = setTimeout(() => { console.error('not completed:', [...want].filter(id => !done.has(id))); process.exit(1); }, 20000);
    await new Promise(resolve => {
      q.on('completed', j => { done.add(String(j.id)); if ([...want].every(id => done.has(id))) resolve(); });
      q.process('*', async j => ({ done: j.id }));
    });
    clearTimeout(timer);
    process.stdout.write('COMPLETED ' + [...done].join(',') + '\n');
    process.exit(0);
  }
  const { Worker } = require(lib);
  const done = new Set();
  const timer = setTimeout(() => {
    console.error('not completed:', [...want].filter(id => !done.has(id)));
    process.exit(1);
  }, 20000);
  await new Promise(resolve => {
    const w = new Worker(QNAME, async j => ({ done: j.id }), { connection: connection(db), prefix });
    w.on('completed', j => {
      done.add(j.id);
      if ([...want].every(id => done.has(id))) resolve(w);
    });
  }).then(w => w.close());
  clearTimeout(timer);
  process.stdout.write('COMPLETED ' + [...done].join(',') + '\n');
  process.exit(0);
}

// N jobs of queue "busy" in failed (a real Worker fails them).
async function failMany() {
  const db = Number(new URL(url).pathname.slice(1) || 0);
  const n = Number(rest[0]);
  if (isBull) {
    const Queue = require('bull');
    const q = new Queue('busy', base(db), { prefix });
    for (let i = 0; i < n; i += 1000)
      await q.addBulk(Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({ name: 'old', data: { i: i + k } })));
    let failed = 0;
    await new Promise(resolve => {
      q.on('failed', () => { if (++failed === n) resolve(); });
      q.process('old', 200, async () => { throw new Error('first run fails'); });
    });
    await q.close();
    process.stdout.write('READY ' + n + '\n');
    return;
  }
  const { Queue, Worker } = require(lib);
  const conn = connection(db);
  const q = new Queue('busy', { connection: conn, prefix });
  for (let i = 0; i < n; i += 1000)
    await q.addBulk(Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({ name: 'old', data: { i: i + k } })));
  let failed = 0;
  await new Promise(resolve => {
    const w = new Worker('busy', async () => { throw new Error('first run fails'); },
      { connection: conn, prefix, concurrency: 200 });
    w.on('failed', () => { if (++failed === n) resolve(w.close()); });
  });
  await q.close();
  process.stdout.write('READY ' + n + '\n');
}

// A live producer and a live Worker on queue "busy" while something else acts on it; on a line
// "stop" from stdin the producer stops, the worker finishes the queue, and every job must have
// been processed exactly once and be in completed.
async function live() {
  const db = Number(new URL(url).pathname.slice(1) || 0);
  const runs = new Map();
  const count = j => { const id = String(j.id); runs.set(id, (runs.get(id) || 0) + 1); return 1; };
  let q, w;
  if (isBull) {
    const Queue = require('bull');
    q = new Queue('busy', base(db), { prefix });
    await q.isReady();
    q.process('*', 50, async j => count(j));
    w = { close: () => q.close() };
  } else {
    const { Queue, Worker } = require(lib);
    const conn = connection(db);
    q = new Queue('busy', { connection: conn, prefix });
    w = new Worker('busy', async j => count(j), { connection: conn, prefix, concurrency: 50 });
    await w.waitUntilReady();
  }
  let producing = true;
  let produced = 0;
  const producer = (async () => {
    while (producing) {
      await q.add('new', { n: produced++ });
    }
  })();
  process.stdout.write('LIVE\n');
  await new Promise(resolve => process.stdin.on('data', d => { if (String(d).includes('stop')) resolve(); }));
  producing = false;
  await producer;
  const r = new IORedis(base(db));
  for (;;) {
    const [wait, prio, active, paused, failed] = await Promise.all([r.llen(`${prefix}:busy:wait`), isBull ? 0 : r.zcard(`${prefix}:busy:prioritized`),
      r.llen(`${prefix}:busy:active`), r.llen(`${prefix}:busy:paused`), r.zcard(`${prefix}:busy:failed`)]);
    if (wait + prio + active + paused === 0) {
      if (failed !== 0) { console.log(`FAIL ${failed} jobs still failed`); process.exit(1); }
      break;
    }
    await new Promise(res => setTimeout(res, 50));
  }
  await w.close();
  const completed = await r.zrange(`${prefix}:busy:completed`, 0, -1);
  const maxId = Number(await r.get(`${prefix}:busy:id`));
  const problems = [];
  const inCompleted = new Set(completed);
  for (let id = 1; id <= maxId; ++id) {
    const k = String(id);
    if (!inCompleted.has(k)) problems.push(`${k} not completed`);
    else if (runs.get(k) !== 1) problems.push(`${k} processed ${runs.get(k) || 0} times`);
  }
  if (completed.length !== maxId) problems.push(`completed holds ${completed.length} ids, ${maxId} jobs were added`);
  if (problems.length) { console.log('FAIL ' + problems.slice(0, 20).join('; ')); process.exit(1); }
  console.log(`OK ${maxId} jobs (${produced} added while acting), each completed exactly once`);
  await r.quit();
  if (!isBull) await q.close();
}

(async () => {
  if (cmd === 'build') await build();
  else if (cmd === 'failmany') await failMany();
  else if (cmd === 'live') await live();
  else if (cmd === 'act') await act();
  else if (cmd === 'work') await work();
  else if (cmd === 'compare') { const d = await compare(); console.log(d.join('\n') || 'SAME'); process.exit(d.length ? 1 : 0); }
  else throw new Error('unknown command');
  process.exit(0);
})().catch(err => {
  console.error('actions.js failed:', err);
  process.exit(2);
});
