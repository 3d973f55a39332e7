// SPDX-License-Identifier: MIT
// The queues of scripts/demo, made by the real libraries (BullMQ 6 and Bull 4, pinned in
// package-lock.json): emails (metrics on), payments, reports, thumbnails, a paused webhooks queue,
// flows with children and a Bull queue, with jobs in every state. Prints one line "READY {…}"
// once every state is there, then keeps going — producers add jobs every few hundred ms, workers
// complete most and fail some — until SIGTERM/SIGINT, or until the process that started it is gone.
//   node feed.js REDIS_URL
'use strict';
const { Queue, Worker, FlowProducer, UnrecoverableError, MetricsTime } = require('bullmq');
const Bull = require('bull');

const url = process.argv[2];
if (!url || process.argv.length > 3) {
  console.error('usage: node feed.js REDIS_URL');
  process.exit(2);
}
const u = new URL(url);
const connection = {
  host: u.hostname,
  port: Number(u.port || 6379),
  db: Number(u.pathname.slice(1) || 0),
  username: decodeURIComponent(u.username) || undefined,
  password: decodeURIComponent(u.password) || undefined,
  maxRetriesPerRequest: null,
};

// --- deterministic "random" data, so every demo looks alike ---------------------------------------
let seed = 42;
function rand() {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = list => list[Math.floor(rand() * list.length)];
const between = (lo, hi) => Math.floor(lo + rand() * (hi - lo));
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

const firstNames = ['ada', 'grace', 'alan', 'edsger', 'barbara', 'donald', 'margaret', 'ken', 'dennis', 'frances', 'radia', 'linus'];
const templates = ['welcome', 'password-reset', 'invoice', 'weekly-digest', 'order-shipped', 'trial-ending'];
const currencies = ['EUR', 'USD', 'GBP', 'JPY', 'CAD'];
const reportKinds = ['sales-by-region', 'churn-cohorts', 'inventory-aging', 'ad-spend', 'support-sla'];
const partners = ['acme.example', 'globex.example', 'initech.example', 'umbrella.example', 'hooli.example'];
let serial = 1000;

function email() {
  const n = ++serial;
  // One address in twelve bounces: those jobs fail after their retries, with a stack trace each.
  const domain = n % 12 === 0 ? 'bounce.example.net' : 'example.com';
  return { to: `${pick(firstNames)}.${n}@${domain}`, template: pick(templates), locale: pick(['en', 'de', 'fr', 'ja']) };
}
function payment() {
  const n = ++serial;
  // Test card 4000…0002 is always declined.
  const card = n % 15 === 0 ? '4000000000000002' : '4242424242424242';
  return { orderId: `ord_${n}`, amountCents: between(499, 25000), currency: pick(currencies), card: `**** ${card.slice(-4)}`, cardNumber: card };
}
function thumbnail() {
  const n = ++serial;
  const ext = n % 30 === 0 ? 'heic' : pick(['jpg', 'png', 'webp']);
  return { source: `s3://uploads/${2026}/${n}.${ext}`, sizes: [64, 256, 1024], owner: `user:${between(1, 150)}` };
}
function report() {
  return { kind: pick(reportKinds), period: pick(['2026-Q3', '2026-10', '2026-11', 'last-7-days']), format: pick(['pdf', 'csv', 'xlsx']) };
}

// --- errors with their own names, so failed jobs show realistic stack traces ----------------------
class SmtpError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SmtpError';
  }
}
class CardDeclinedError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CardDeclinedError';
  }
}

async function deliver(to) {
  if (to.endsWith('@bounce.example.net'))
    throw new SmtpError(`550 5.1.1 <${to}>: Recipient address rejected: mailbox unavailable`);
  return `<${Date.now().toString(36)}.${between(1000, 9999)}@mail.example.com>`;
}
async function charge(data) {
  if (data.cardNumber === '4000000000000002')
    throw new CardDeclinedError(`card_declined: your card was declined (order ${data.orderId})`);
  return `ch_${Date.now().toString(36)}${between(100, 999)}`;
}

// --- processors --------------------------------------------------------------------------------
async function emailProcessor(job) {
  await job.log(`rendering template "${job.data.template}" (${job.data.locale})`);
  await job.updateProgress(40);
  await sleep(between(150, 900));
  await job.log(`connecting to smtp-${between(1, 4)}.mail.internal:587`);
  const messageId = await deliver(job.data.to);
  await job.updateProgress(100);
  await job.log(`accepted for delivery as ${messageId}`);
  return { messageId, acceptedAt: new Date().toISOString() };
}

async function paymentProcessor(job) {
  if (job.name === 'fulfil-order') {
    const children = await job.getChildrenValues();
    await job.log(`all ${Object.keys(children).length} steps done, marking order fulfilled`);
    return { fulfilled: true, steps: Object.keys(children).length };
  }
  await job.log(`authorising ${(job.data.amountCents / 100).toFixed(2)} ${job.data.currency} on ${job.data.card}`);
  await job.updateProgress(30);
  await sleep(between(300, 1500));
  const chargeId = await charge(job.data);
  await job.updateProgress(100);
  await job.log(`captured as ${chargeId}`);
  return { chargeId, amountCents: job.data.amountCents, currency: job.data.currency };
}

async function reportProcessor(job) {
  const steps = between(5, 10);
  await job.log(`querying warehouse for ${job.data.kind} ${job.data.period}`);
  for (let i = 1; i <= steps; ++i) {
    await sleep(between(600, 1200));
    await job.updateProgress(Math.round((i * 100) / steps));
    if (i === Math.ceil(steps / 2))
      await job.log(`aggregated ${between(10000, 900000)} rows`);
  }
  const file = `reports/${job.data.kind}-${job.data.period}.${job.data.format}`;
  await job.log(`uploaded ${file}`);
  return { file, bytes: between(20000, 4000000) };
}

async function thumbnailProcessor(job) {
  await sleep(between(40, 250));
  if (job.data.source.endsWith('.heic'))
    throw new UnrecoverableError(`unsupported image format "heic" in ${job.data.source}`);
  await job.updateProgress(100);
  return { outputs: job.data.sizes.map(s => job.data.source.replace(/\.\w+$/, `_${s}.webp`)) };
}

// --- the demo ------------------------------------------------------------------------------------
const closers = [];
const timers = [];
let stopping = false;

function quiet(what) {
  // After a lost connection the libraries emit an error per retry: say it once a second at most.
  let last = 0;
  return err => {
    if (stopping || Date.now() - last < 1000)
      return;
    last = Date.now();
    console.error(`feed: ${what}: ${err && err.message ? err.message : err}`);
  };
}

function every(ms, fn) {
  // The next run is armed when this one has finished: a slow server never piles up adds.
  const timer = { id: null };
  const run = () => {
    if (stopping)
      return;
    Promise.resolve()
      .then(fn)
      .catch(quiet('producer'))
      .finally(() => {
        if (!stopping)
          timer.id = setTimeout(run, ms);
      });
  };
  timer.id = setTimeout(run, ms);
  timers.push(timer);
}

function queue(name) {
  const q = new Queue(name, { connection });
  q.on('error', quiet(`queue ${name}`));
  closers.push(() => q.close());
  return q;
}

function worker(name, processor, opts) {
  const w = new Worker(name, processor, { connection, ...opts });
  w.on('error', quiet(`worker ${name}`));
  closers.unshift(() => w.close(true)); // workers first, without waiting for their jobs
  return w;
}

const recent = { removeOnComplete: { count: 1000 }, removeOnFail: { count: 300 } };
const retried = { attempts: 3, backoff: { type: 'exponential', delay: 500 } };

async function main() {
  const emails = queue('emails');
  const payments = queue('payments');
  const reports = queue('reports');
  const thumbnails = queue('thumbnails');
  const webhooks = queue('webhooks');
  const flows = new FlowProducer({ connection });
  flows.on('error', quiet('flows'));
  closers.push(() => flows.close());
  const legacy = new Bull('legacy-mailer', { redis: connection });
  legacy.on('error', quiet('bull queue legacy-mailer'));
  closers.unshift(() => legacy.close(true));

  // A paused queue (partner endpoints under maintenance): its jobs wait, and the month-end
  // report below waits for them as its children.
  await webhooks.pause();
  await webhooks.addBulk(
    Array.from({ length: 14 }, (_, i) => ({
      name: 'deliver-webhook',
      data: { partner: partners[i % partners.length], event: pick(['order.paid', 'order.refunded', 'invoice.created']), attempt: 1 },
      opts: { attempts: 5, backoff: { type: 'exponential', delay: 60000 } },
    })));
  await flows.add({
    name: 'close-month',
    queueName: 'reports',
    data: { period: '2026-10', owner: 'finance@example.com' },
    children: partners.map(p => ({ name: 'deliver-webhook', queueName: 'webhooks', data: { partner: p, event: 'statement.ready' } })),
  });

  // History and backlog before any worker runs.
  await emails.addBulk(Array.from({ length: 48 }, () => ({ name: 'send-email', data: email(), opts: { ...retried } })));
  await emails.addBulk(
    Array.from({ length: 6 }, (_, i) => ({
      name: 'send-reminder',
      data: { ...email(), template: 'trial-ending' },
      opts: { delay: (i + 1) * 20 * 60000 },
    })));
  await payments.addBulk(Array.from({ length: 30 }, () => ({ name: 'charge-card', data: payment(), opts: { attempts: 2, backoff: { type: 'fixed', delay: 300 } } })));
  await payments.add('refund', { ...payment(), reason: 'customer request' }, { delay: 2 * 3600000 });
  await reports.addBulk(Array.from({ length: 12 }, () => ({ name: 'build-report', data: report() })));
  await reports.addBulk(
    ['board-deck', 'ceo-dashboard', 'audit-export'].map((kind, i) => ({ name: 'build-report', data: { ...report(), kind }, opts: { priority: i + 1 } })));
  await reports.add('build-report', { ...report(), kind: 'nightly-rollup' }, { delay: 6 * 3600000 });
  await thumbnails.addBulk(Array.from({ length: 60 }, () => ({ name: 'make-thumbnails', data: thumbnail(), opts: recent })));
  for (let i = 0; i < 3; ++i)
    await flows.add(fulfilment());
  for (let i = 0; i < 16; ++i)
    await legacy.add('send-newsletter', { ...email(), template: 'newsletter-2026-11' }, { attempts: 2, backoff: 300 });

  // Workers: metrics (per-minute counts) on the emails worker only.
  worker('emails', emailProcessor, { concurrency: 4, metrics: { maxDataPoints: MetricsTime.ONE_WEEK } });
  worker('payments', paymentProcessor, { concurrency: 2 });
  worker('reports', reportProcessor, { concurrency: 1 });
  worker('thumbnails', thumbnailProcessor, { concurrency: 6 });
  legacy.process('send-newsletter', 2, async job => {
    await job.log(`rendering ${job.data.template} for ${job.data.to}`);
    await sleep(between(200, 800));
    await job.progress(60);
    const messageId = await deliver(job.data.to);
    await job.progress(100);
    return { messageId };
  });

  // Every state present (the Bull queue has finished some too): then READY.
  const all = [emails, payments, reports, thumbnails, webhooks];
  const states = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'waiting-children'];
  const deadline = Date.now() + 60000;
  let totals;
  for (;;) {
    totals = Object.fromEntries(states.map(s => [s, 0]));
    for (const q of all) {
      const counts = await q.getJobCounts(...states);
      for (const s of states)
        totals[s] += counts[s] || 0;
    }
    const bull = await legacy.getJobCounts();
    const paused = await webhooks.isPaused();
    const missing = states.filter(s => totals[s] === 0);
    if (!missing.length && paused && bull.completed > 0 && bull.failed > 0)
      break;
    if (Date.now() > deadline)
      throw new Error(`no ${missing.join(', ') || 'Bull completed/failed jobs'} after 60 s`);
    await sleep(200);
  }

  // Keep the counts moving.
  every(300, () => emails.add('send-email', email(), { ...retried, ...recent }));
  every(2500, () => emails.add('password-reset', { ...email(), template: 'password-reset' }, { priority: 1, ...recent }));
  every(700, () => payments.add('charge-card', payment(), { attempts: 2, backoff: { type: 'fixed', delay: 300 }, ...recent }));
  every(1000, () => thumbnails.addBulk(Array.from({ length: between(1, 6) }, () => ({ name: 'make-thumbnails', data: thumbnail(), opts: recent }))));
  every(5000, async () => {
    if ((await reports.getWaitingCount()) < 20)
      await reports.add('build-report', report(), recent);
  });
  every(6000, () => flows.add(fulfilment()));
  every(4000, () => emails.add('send-reminder', { ...email(), template: 'trial-ending' }, { delay: between(1, 10) * 60000, ...recent }));
  every(1500, () => legacy.add('send-newsletter', { ...email(), template: 'newsletter-2026-11' }, { attempts: 2, backoff: 300, removeOnComplete: 500, removeOnFail: 200 }));

  process.stdout.write(`READY ${JSON.stringify({ queues: ['emails', 'payments', 'reports', 'thumbnails', 'webhooks', 'legacy-mailer (Bull)'], counts: totals })}\n`);
}

// An order: charge the card, send the receipt and render the product images, then fulfil.
function fulfilment() {
  const pay = payment();
  return {
    name: 'fulfil-order',
    queueName: 'payments',
    data: { orderId: pay.orderId },
    opts: recent,
    children: [
      { name: 'charge-card', queueName: 'payments', data: pay, opts: recent },
      { name: 'send-receipt', queueName: 'emails', data: { ...email(), template: 'invoice', orderId: pay.orderId }, opts: recent },
      { name: 'make-thumbnails', queueName: 'thumbnails', data: thumbnail(), opts: recent },
    ],
  };
}

async function stop(code) {
  if (stopping)
    return;
  stopping = true;
  for (const t of timers)
    clearTimeout(t.id);
  const closing = Promise.allSettled(closers.map(close => Promise.resolve().then(close)));
  await Promise.race([closing, sleep(3000)]);
  process.exit(code);
}

process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
// Started by scripts/demo: when it is gone (killed hard), so are we.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent)
    stop(0);
}, 1000).unref();

main().catch(err => {
  console.error(`feed: ${err && err.stack ? err.stack : err}`);
  stop(1);
});
