/**
 * report-rss — preloaded by the benchmarks (`node --require scripts/report-rss.cjs …`) into a process
 * they measure: at exit it writes the process's peak resident set size in KiB to the file named by
 * TENANT_SYNC_BENCH_RSS_FILE. The measured program itself is unchanged.
 */
const { writeFileSync } = require("node:fs");

const file = process.env.TENANT_SYNC_BENCH_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
