// SPDX-License-Identifier: MIT
// Dumps what the library's own getters report for the given queues, as JSON on stdout:
// getJobCounts(), isPaused(), getJobs([state], …) for every state (whole and a page),
// getJob() + getState() + getJobLogs() for every listed job (+ FlowProducer.getFlow() of jobs in a
// flow), getWorkers(), schedulers.
//   node dump.js LIB REDIS_URL QUEUES_JSON [EXTRA_JOB_IDS_JSON]
// QUEUES_JSON: [{"prefix":"bull","name":"alpha"}, …]; EXTRA_JOB_IDS_JSON: {"bull:alpha": ["7"]}
'use strict';

const [lib, url, queuesJson, extraJson] = process.argv.slice(2);
const isBull = lib === 'bull';
const major = isBull ? 0 : Number(lib.replace('bullmq', ''));
const queues = JSON.parse(queuesJson);
const extra = extraJson ? JSON.parse(extraJson) : {};

const PAGE = { start: 1, end: 2 };

function statesFor() {
  if (isBull) return ['waiting', 'paused', 'active', 'delayed', 'completed', 'failed'];
  const s = ['waiting', 'prioritized', 'active', 'delayed', 'waiting-children', 'completed', 'failed'];
  return major >= 6 ? s : ['paused', ...s];
}

function connection() {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port), db: Number(u.pathname.slice(1) || 0), maxRetriesPerRequest: null };
}

function open(prefix, name) {
  if (isBull) {
    const Queue = require('bull');
    return new Queue(name, url, { prefix });
  }
  const { Queue } = require(lib);
  return new Queue(name, { connection: connection(), prefix, skipMetasUpdate: true });
}

// The library's Job, reduced to plain JSON (undefined members are left out).
function plain(job) {
  if (!job) return null;
  const o = {
    id: job.id, name: job.name, data: job.data, opts: job.opts,
    progress: isBull ? job._progress : job.progress,
    returnvalue: job.returnvalue, failedReason: job.failedReason, stacktrace: job.stacktrace,
    attemptsMade: job.attemptsMade, timestamp: job.timestamp, processedOn: job.processedOn,
    finishedOn: job.finishedOn, delay: job.delay,
  };
  if (!isBull) {
    Object.assign(o, {
      priority: job.priority, parentKey: job.parentKey, parent: job.parent, repeatJobKey: job.repeatJobKey,
      processedBy: job.processedBy, attemptsStarted: job.attemptsStarted, stalledCounter: job.stalledCounter,
      deferredFailure: job.deferredFailure,
    });
  }
  return o;
}

async function schedulers(q) {
  const out = {};
  if (!isBull && major >= 5 && typeof q.getJobSchedulers === 'function') out.jobSchedulers = await q.getJobSchedulers();
  if ((isBull || major <= 5) && typeof q.getRepeatableJobs === 'function') out.repeatableJobs = await q.getRepeatableJobs();
  return out;
}

// FlowProducer.getFlow() of jobs that are part of a flow, reduced to ids, names and queues.
const producers = {};
function flows(prefix) {
  if (!producers[prefix]) {
    const { FlowProducer } = require(lib);
    producers[prefix] = new FlowProducer({ connection: connection(), prefix });
  }
  return producers[prefix];
}
async function inFlow(job) {
  if (job.parentKey) return true;
  const c = await job.getDependenciesCount();
  return Object.values(c).some(n => n > 0);
}
function flowShape(node) {
  if (!node) return null;
  const out = { id: String(node.job.id), name: node.job.name, queueName: node.job.queueName };
  if (node.children) out.children = node.children.map(flowShape);
  return out;
}

async function dumpQueue({ prefix, name }) {
  const q = open(prefix, name);
  const out = { prefix, name, paused: await q.isPaused(), counts: await q.getJobCounts(), states: {}, jobs: {} };
  const ids = new Set(extra[`${prefix}:${name}`] || []);
  for (const state of statesFor()) {
    let all, page, first;
    try {
      all = await q.getJobs([state], 0, -1);
      page = await q.getJobs([state], PAGE.start, PAGE.end);
      first = await q.getJobs([state], 0, 1);
    } catch (err) {
      out.states[state] = { error: String(err && err.message) };
      continue;
    }
    out.states[state] = {
      all: all.map(j => (j ? String(j.id) : null)),
      page: page.map(j => (j ? String(j.id) : null)),
      first: first.map(j => (j ? String(j.id) : null)),
      rows: all.map(j => (j ? {
        id: String(j.id), name: j.name, timestamp: j.timestamp, processedOn: j.processedOn,
        finishedOn: j.finishedOn, attemptsMade: j.attemptsMade, failedReason: j.failedReason,
        progress: isBull ? j._progress : j.progress,
      } : null)),
    };
    for (const j of all) if (j) ids.add(String(j.id));
  }
  for (const id of ids) {
    try {
      const job = await q.getJob(id);
      if (!job) {
        out.jobs[id] = { missing: true };
        continue;
      }
      const entry = plain(job);
      entry.state = await job.getState();
      entry.logs = (await q.getJobLogs(id)).logs;
      if (!isBull && await inFlow(job)) entry.flow = flowShape(await flows(prefix).getFlow({ id, queueName: name, prefix }));
      out.jobs[id] = entry;
    } catch (err) {
      out.jobs[id] = { error: String(err && err.message) };
    }
  }
  const workers = (await q.getWorkers()) || [];
  out.workers = workers.map(w => ({ id: w.id, addr: w.addr, name: w.rawname || w.name }));
  out.schedulers = await schedulers(q);
  out.page = PAGE;
  await q.close();
  return out;
}

(async () => {
  const result = [];
  for (const q of queues) result.push(await dumpQueue(q));
  for (const p of Object.values(producers)) await p.close();
  // stdout is a pipe: exit only once the (large) write has been flushed.
  process.stdout.write(JSON.stringify({ lib, queues: result }) + '\n', () => process.exit(0));
})().catch(err => {
  console.error('dump failed:', err);
  process.exit(1);
});
