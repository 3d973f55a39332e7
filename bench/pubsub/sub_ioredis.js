// SPDX-License-Identifier: MIT
// The ioredis subscriber of bench_pubsub: PSUBSCRIBE PATTERN, count messages as Buffers (no
// decoding), print "ready" once subscribed, then "<count> <last message ms>" every 100 ms.
// Usage: node sub_ioredis.js PORT PATTERN
const Redis = require('ioredis');
const [port, pattern] = process.argv.slice(2);
const sub = new Redis({ port: Number(port), host: '127.0.0.1', enableOfflineQueue: true });
let count = 0;
let last = 0;
sub.on('pmessageBuffer', () => {
    ++count;
    last = Date.now();
});
sub.psubscribe(pattern).then(() => process.stdout.write('ready\n'));
setInterval(() => process.stdout.write(`${count} ${last}\n`), 100);
process.on('SIGTERM', () => process.exit(0));
