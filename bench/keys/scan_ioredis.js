// SPDX-License-Identifier: MIT
// The reference for bench_keys: a plain ioredis SCAN loop (COUNT 1000) over the whole keyspace.
// Usage: node scan_ioredis.js PORT  → prints {"keys": N, "ms": T} (time from the first SCAN).
const Redis = require('ioredis');

async function main() {
    const redis = new Redis({ port: Number(process.argv[2]), host: '127.0.0.1', lazyConnect: true });
    await redis.connect();
    await redis.ping();
    const start = process.hrtime.bigint();
    let cursor = '0';
    let keys = 0;
    do {
        const [next, names] = await redis.scan(cursor, 'COUNT', 1000);
        cursor = next;
        keys += names.length;
    } while (cursor !== '0');
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(JSON.stringify({ keys, ms }));
    redis.disconnect();
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
