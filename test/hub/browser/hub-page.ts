/**
 * hub-page — the Tenant Sync hub as the browser tests drive it: opened in headless Chromium through
 * the local Azure DevOps page (light or dark), its frame, a tenant's row and status as shown, its
 * detail opened and loaded, and polling the page with a deadline that says what never appeared.
 * Locators go by role and accessible name, as a person (or a screen reader) finds things.
 */
import assert from "node:assert/strict";
import type { Browser, Frame, Locator, Page } from "playwright-core";
import { newContext } from "../../helpers/browser";

export interface HubPage {
  page: Page;
  frame: Frame;
  close(): Promise<void>;
}

/** Opens the hub at `hubUrl` and waits until it loaded (and said so to the host) and lists tenants. */
export async function openHub(
  browser: Browser,
  hubUrl: string,
  o: { theme?: "light" | "dark" } = {},
): Promise<HubPage> {
  const context = await newContext(browser, { colorScheme: o.theme });
  // Only the host page reads the clipboard back; the hub itself copies without any permission.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(hubUrl).origin });
  const page = await context.newPage();
  await page.goto(o.theme === "dark" ? `${hubUrl}?theme=dark` : hubUrl);
  await page.waitForFunction(() => (window as { __hostState?: { load: string } }).__hostState?.load !== "pending");
  const state = await page.evaluate(
    () => (window as unknown as { __hostState: { load: string; failure?: string } }).__hostState,
  );
  assert.equal(state.load, "succeeded", `the hub did not load: ${state.failure}`);
  const frame = page.frames().find((f) => f.url().includes("/hub/hub.html"));
  assert.ok(frame, "the hub's frame");
  await frame.getByRole("grid", { name: "Tenants" }).waitFor();
  return { page, frame, close: () => context.close() };
}

/**
 * Scrolls the overview back into view: the table renders only the rows near the visible area, so
 * after scrolling down to a detail, the rows at the top are not in the page until it scrolls back.
 */
export const showTable = (frame: Frame): Promise<void> =>
  frame.locator(".tenant-sync-overview").evaluate((e) => e.scrollIntoView({ block: "start" }));

/** The button that opens a tenant's detail (the tenant's name in its row). */
export const openButton = (frame: Frame, tenant: string): Locator =>
  frame.getByRole("button", { name: `Open ${tenant}'s detail`, exact: true });

/** A tenant's row of the table. */
export const rowOf = (frame: Frame, tenant: string): Locator =>
  frame.getByRole("row").filter({ has: openButton(frame, tenant) });

/** The tenants the table lists, in order. */
export const listedTenants = (frame: Frame): Promise<string[]> =>
  frame.locator(".tenant-sync-table .tenant-sync-open").allInnerTexts();

/** The status a row shows in words (and its kind, for the message when it differs). */
export async function shownStatus(frame: Frame, tenant: string): Promise<{ text: string; kind: string | null }> {
  await showTable(frame);
  const badge = rowOf(frame, tenant).locator(".tenant-sync-status");
  return { text: (await badge.innerText()).trim(), kind: await badge.getAttribute("data-status") };
}

/** A tenant's detail section. */
export const detailOf = (frame: Frame, tenant: string): Locator =>
  frame
    .locator("section.tenant-sync-detail")
    .filter({ has: frame.getByRole("heading", { name: tenant, exact: true }) });

/**
 * Opens a tenant's detail with a click and waits until its run's steps loaded. A click the page did
 * not take (no detail section of that tenant appeared) is clicked again once, as a person would; a
 * detail that does not load fails naming the detail shown and the messages the page shows.
 */
export async function openDetail(frame: Frame, tenant: string): Promise<Locator> {
  const detail = detailOf(frame, tenant);
  const taken = () => detail.count();
  for (let attempt = 1; ; attempt++) {
    await showTable(frame);
    await openButton(frame, tenant).click();
    const took = await until(`${tenant}'s detail`, async () => ((await taken()) > 0 ? true : undefined), 5_000)
      .then(() => true)
      .catch(() => false);
    if (took || attempt === 2) break;
  }
  try {
    await detail.getByRole("heading", { name: "Run steps" }).waitFor();
  } catch (e) {
    const messages = await frame
      .getByLabel("Messages")
      .allInnerTexts()
      .catch(() => []);
    const shown = await frame
      .locator("section.tenant-sync-detail h2")
      .allInnerTexts()
      .catch(() => []);
    throw new Error(
      `${tenant}'s run steps never loaded (detail open: ${shown.join(", ") || "none"}; messages: ${messages.join(" | ") || "none"}): ${(e as Error).message}`,
      { cause: e },
    );
  }
  return detail;
}

/** Polls `probe` until it answers something other than undefined; fails saying what never appeared. */
export async function until<T>(
  what: string | (() => string),
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${typeof what === "string" ? what : what()} never appeared within ${timeoutMs / 1000} s${last ? ` (last error: ${(last as Error).message})` : ""}.`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until the tenant's row shows `label` (the page refreshes by itself while runs go on). */
export function untilStatus(frame: Frame, tenant: string, label: string, timeoutMs = 90_000): Promise<true> {
  let seen = "";
  return until(
    () => `${tenant}'s row showing "${label}" (it showed "${seen}")`,
    async () => {
      seen = (await shownStatus(frame, tenant)).text;
      return seen.startsWith(label) ? true : undefined;
    },
    timeoutMs,
  );
}

/** Text of the page's error messages (actions that failed). */
export const messages = (frame: Frame): Promise<string[]> => frame.locator(".bolt-messagecard").allInnerTexts();
