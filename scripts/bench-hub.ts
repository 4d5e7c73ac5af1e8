/**
 * bench-hub — `npm run bench:hub`: the status hub opened in headless Chromium inside the local Azure
 * DevOps page, over organisations holding 10 and 1000 tenants with recorded run history (the empty
 * scenario with --tenants N), each in its own organisation and a fresh browser context (cold cache).
 * For the first load and for one click on Refresh it prints the REST calls the Azure DevOps emulator
 * counted (by route, CORS preflights apart), the bytes the browser received (REST, gzipped as the
 * service sends it, and everything with the host page and the hub's files), and the time: from the host page's navigation start to
 * the tenants' table rendered with all its rows (the table is virtualised, so its aria-rowcount
 * says how many rows it holds, not the DOM), and from the click to the Refresh button being ready
 * again. The hub sets no performance marks, so the times are taken from these events as the
 * browser reports them.
 * Usage: npm run bench:hub [-- --tenants 10,1000]
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Browser, Frame, Page, Request } from "playwright-core";
import { startLocalDevOps, type LocalDevOps } from "../emulators/local-devops/organization";
import { runScenario } from "../emulators/local-devops/scenarios";
import { chromiumPath, newContext, startChromium } from "../test/helpers/browser";

const { values } = parseArgs({ options: { tenants: { type: "string", default: "10,1000" } } });
const sizes = values.tenants.split(",").map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error(`--tenants must list whole numbers of tenants, 1 or more, comma-separated (got ${values.tenants}).`);
  process.exit(2);
}
const targetLoadMs = 1500;
const preflightRoute = "OPTIONS (preflight)";

interface Traffic {
  /** Emulator route → requests answered (preflights under their own key). */
  routes: Map<string, number>;
  calls: number;
  preflights: number;
  restBytes: number;
  /** REST path below the collection (no query) → bytes received. */
  restBytesByPath: Map<string, number>;
  allBytes: number;
  requests: number;
}

interface Figures {
  tenants: number;
  load: Traffic & { ms: number; firstRestMs: number; lastRestMs: number };
  refresh: Traffic & { ms: number };
}

const totalOf = (byStatus: Record<string, number> | undefined) =>
  Object.values(byStatus ?? {}).reduce((a, b) => a + b, 0);

/** Starts counting what the emulator answers and the browser receives; stop() tells what came since. */
function watchTraffic(devops: LocalDevOps, page: Page) {
  const collectionUrl = devops.readyInfo().collectionUrl;
  const before = structuredClone(devops.azdo.counters.byRoute);
  const finished: Request[] = [];
  const onFinished = (r: Request) => finished.push(r);
  page.on("requestfinished", onFinished);
  return {
    requests: finished,
    async stop(): Promise<Traffic> {
      page.off("requestfinished", onFinished);
      const routes = new Map<string, number>();
      for (const [route, byStatus] of Object.entries(devops.azdo.counters.byRoute)) {
        const n = totalOf(byStatus) - totalOf(before[route]);
        if (n > 0) routes.set(route, n);
      }
      let restBytes = 0;
      let allBytes = 0;
      const restBytesByPath = new Map<string, number>();
      for (const r of finished) {
        const s = await r.sizes();
        const bytes = s.responseBodySize + s.responseHeadersSize;
        allBytes += bytes;
        if (!r.url().startsWith(collectionUrl)) continue;
        restBytes += bytes;
        const path = `GET ${r.url().slice(collectionUrl.length).split("?")[0]}`;
        restBytesByPath.set(path, (restBytesByPath.get(path) ?? 0) + bytes);
      }
      const preflights = routes.get(preflightRoute) ?? 0;
      const calls = [...routes.values()].reduce((a, b) => a + b, 0) - preflights;
      return {
        routes,
        calls,
        preflights,
        restBytes,
        restBytesByPath,
        allBytes,
        requests: finished.length,
      };
    },
  };
}

/** The hub's frame, once the host page has attached it. */
async function hubFrame(page: Page): Promise<Frame> {
  const find = () => page.frames().find((f) => f.url().includes("/hub/hub.html"));
  while (!find()) await page.waitForEvent("framenavigated", { timeout: 30_000 });
  return find()!;
}

async function measure(browser: Browser, tenants: number): Promise<Figures> {
  const devops = await startLocalDevOps({ caDir: process.env.TENANT_SYNC_CA_DIR });
  const context = await newContext(browser);
  try {
    await runScenario(devops, "empty", { tenants });
    const { hubUrl, collectionUrl } = devops.readyInfo();
    const page = await context.newPage();

    const loading = watchTraffic(devops, page);
    await page.goto(hubUrl, { waitUntil: "commit" });
    const frame = await hubFrame(page);
    // The table is virtualised: its aria-rowcount (header included) says it holds every tenant.
    await frame
      .locator(`.tenant-sync-table[aria-rowcount="${tenants + 1}"] tr[role="row"][data-row-index="0"]`)
      .first()
      .waitFor({ timeout: 60_000 });
    const renderedAt = Date.now();
    // The page's time origin is its navigation start, on the same wall clock as this process.
    const navigationStart = await page.evaluate(() => performance.timeOrigin);
    const state = await page.evaluate(() => (globalThis as unknown as { __hostState: { load: string } }).__hostState);
    if (state.load !== "succeeded") throw new Error(`The hub did not load over ${tenants} tenants: ${state.load}.`);
    const rest = loading.requests.filter((r) => r.url().startsWith(collectionUrl)).map((r) => r.timing());
    const load = {
      ...(await loading.stop()),
      ms: renderedAt - navigationStart,
      firstRestMs: Math.min(...rest.map((t) => t.startTime)) - navigationStart,
      lastRestMs: Math.max(...rest.map((t) => t.startTime + t.responseEnd)) - navigationStart,
    };

    // Nothing runs among recorded tenants, so the hub does not refresh by itself: click Refresh.
    const refreshing = watchTraffic(devops, page);
    const refreshButton = frame.getByRole("button", { name: "Refresh", exact: true });
    const clickedAt = Date.now();
    await refreshButton.click();
    // The button reads "Refresh…" and is disabled while the overview is read again.
    await frame.locator("button:enabled", { hasText: /^Refresh$/ }).waitFor({ timeout: 60_000 });
    const refreshMs = Date.now() - clickedAt;
    const refresh = { ...(await refreshing.stop()), ms: refreshMs };
    return { tenants, load, refresh };
  } finally {
    await context.close();
    await devops.stop();
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The table's rows: a label and the figure for one organisation. */
const rows: [string, (f: Figures) => string][] = [
  ["load: REST calls", (f) => String(f.load.calls)],
  ["load: CORS preflights", (f) => String(f.load.preflights)],
  ["load: REST received (gzipped, as the service sends it)", (f) => kb(f.load.restBytes)],
  ["load: all received (page, hub files, REST)", (f) => kb(f.load.allBytes)],
  ["load: navigation → first REST call", (f) => sec(f.load.firstRestMs)],
  ["load: navigation → last REST answer", (f) => sec(f.load.lastRestMs)],
  [`load: navigation → table (target ≤ ${sec(targetLoadMs)})`, (f) => sec(f.load.ms)],
  ["refresh: REST calls", (f) => String(f.refresh.calls)],
  ["refresh: CORS preflights", (f) => String(f.refresh.preflights)],
  ["refresh: REST received", (f) => kb(f.refresh.restBytes)],
  ["refresh: click → table updated", (f) => sec(f.refresh.ms)],
];

function print(all: Figures[]): void {
  const line = (label: string, figure: (f: Figures) => string) =>
    console.log(`  ${label.padEnd(56)}${all.map((f) => figure(f).padStart(14)).join("")}`);
  console.log(`\nhub overview in headless Chromium (local Azure DevOps, recorded tenants, cold cache)`);
  line("", (f) => `${f.tenants} tenants`);
  for (const [label, figure] of rows) line(label, figure);
  const breakdown = (title: string, keys: (f: Figures) => Map<string, number>, show: (n: number) => string) => {
    console.log(`\n  ${title}`);
    for (const key of [...new Set(all.flatMap((f) => [...keys(f).keys()]))].sort())
      line(`  ${key}`, (f) => show(keys(f).get(key) ?? 0));
  };
  breakdown("load: calls by route", (f) => f.load.routes, String);
  breakdown("refresh: calls by route", (f) => f.refresh.routes, String);
  breakdown("load: received by REST path", (f) => f.load.restBytesByPath, kb);
}

async function main(): Promise<void> {
  if (!existsSync(chromiumPath))
    throw new Error(
      `bench:hub needs Chromium at ${chromiumPath}: install it (Debian/Ubuntu: apt-get install -y chromium) or set TENANT_SYNC_CHROMIUM to a Chromium binary.`,
    );
  if (!existsSync(join(__dirname, "..", "dist", "hub", "hub.js")))
    throw new Error("bench:hub opens the built hub, and dist/hub/hub.js is missing: run `npm run build` first.");
  const browser = await startChromium();
  try {
    const all: Figures[] = [];
    for (const n of sizes) all.push(await measure(browser, n));
    print(all);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
