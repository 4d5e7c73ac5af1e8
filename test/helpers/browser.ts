/**
 * browser — headless Chromium for the hub's browser tests, driven by playwright-core (Playwright's
 * own browser download does not work offline, so the system's /usr/bin/chromium is used). Without
 * it the suite is skipped with a message saying how to install it, except under CI=true, where a
 * missing browser fails the run instead of hiding the tests. Screenshots go to test-output/
 * (ignored by git).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

export const chromiumPath = process.env.TENANT_SYNC_CHROMIUM ?? "/usr/bin/chromium";

export const screenshotDir = join(__dirname, "..", "..", "test-output", "hub");

const flags = [
  "--headless",
  "--no-sandbox", // required when running as root (CI containers)
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Call in a describe's before(): skips the suite (this.skip) when Chromium is missing locally,
 * throws under CI. Returns the launched browser.
 */
export async function launchChromium(suite: Mocha.Context): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    const how = `install it (Debian/Ubuntu: apt-get install -y chromium) or set TENANT_SYNC_CHROMIUM to a Chromium binary`;
    if (process.env.CI === "true") throw new Error(`The hub's browser tests need Chromium at ${chromiumPath}: ${how}.`);
    process.stderr.write(`  (skipping the hub's browser tests: no Chromium at ${chromiumPath}; ${how})\n`);
    suite.skip();
  }
  return startChromium();
}

/** Headless Chromium at chromiumPath with the flags above (the benchmarks use it outside mocha). */
export function startChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: flags, headless: true });
}

/**
 * A fresh context for one test: the emulators' certificates come from a local CA the browser does
 * not know, and every origin here is loopback, so certificate errors are ignored rather than
 * installing the CA into a browser profile.
 */
export function newContext(browser: Browser, o: { colorScheme?: "light" | "dark" } = {}): Promise<BrowserContext> {
  return browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
    colorScheme: o.colorScheme ?? "light",
    acceptDownloads: true,
  });
}

/** Where a screenshot named `name` goes (the folder is made). */
export function screenshotPath(name: string): string {
  mkdirSync(screenshotDir, { recursive: true });
  return join(screenshotDir, `${name.replace(/[^a-z0-9.-]+/gi, "-")}.png`);
}
