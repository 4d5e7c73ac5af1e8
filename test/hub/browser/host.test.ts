/**
 * The hub in headless Chromium inside the local Azure DevOps page: the real extension SDK in the
 * frame completes the handshake with the fake host over XDM, the hub reads the collection URL,
 * project and token from the host, its first REST call reaches the emulator cross-origin with the
 * bearer token, and it reports its load; themes light and dark (also switched live); a refused
 * token ends in notifyLoadFailed with a message saying what to do. Screenshots in test-output/hub.
 */
import assert from "node:assert/strict";
import type { Browser, Frame, Page, Request } from "playwright-core";
import {
  startLocalDevOps,
  type LocalDevOps,
  type LocalDevOpsReadyInfo,
} from "../../../emulators/local-devops/organization";
import { launchChromium, newContext, screenshotPath } from "../../helpers/browser";

interface HostWindow {
  __xdmCalls: { instanceId: string; methodName: string; params: unknown[] }[];
  __hostState: { load: string; failure?: string; theme: string };
  __setTheme(theme: string): Promise<void>;
}

describe("hub in the local Azure DevOps page (browser)", function () {
  this.timeout(120_000);
  let browser: Browser;
  let devops: LocalDevOps;
  let ready: LocalDevOpsReadyInfo;
  const tenants = ["contoso", "fabrikam"];

  before(async function () {
    browser = await launchChromium(this);
    devops = await startLocalDevOps({ caDir: process.env.TENANT_SYNC_CA_DIR });
    for (const t of tenants) await devops.addTenant(t);
    ready = devops.readyInfo();
  });

  after(async () => {
    await browser?.close();
    await devops?.stop();
  });

  /** Opens the hub page and waits until the hub reported its load (either way). */
  async function openHub(query = ""): Promise<{ page: Page; frame: Frame; requests: Request[] }> {
    const context = await newContext(browser);
    const page = await context.newPage();
    const requests: Request[] = [];
    page.on("request", (r) => requests.push(r));
    await page.goto(`${ready.hubUrl}${query}`);
    await page.waitForFunction(() => (window as unknown as HostWindow).__hostState?.load !== "pending");
    const frame = page.frames().find((f) => f.url().includes("/hub/hub.html"));
    assert.ok(
      frame,
      `the hub's frame (frames: ${page
        .frames()
        .map((f) => f.url())
        .join(", ")})`,
    );
    return { page, frame, requests };
  }

  const hostState = (page: Page) => page.evaluate(() => (window as unknown as HostWindow).__hostState);
  const xdmCalls = (page: Page) => page.evaluate(() => (window as unknown as HostWindow).__xdmCalls);

  it("prints a hub URL on the host origin, with the hub's files on another origin", () => {
    const hub = new URL(ready.hubUrl);
    // Shaped as Azure DevOps addresses a hub: /{organization}/{project}/_apps/hub/{publisher}.{extension}.{hub}.
    assert.equal(hub.pathname, "/tenant-sync-local/TenantSync/_apps/hub/tenant-sync.tenant-sync.tenant-sync-hub");
    assert.notEqual(hub.origin, new URL(ready.collectionUrl).origin);
  });

  it("completes the SDK handshake, reads the pipelines with the bearer token and reports its load", async () => {
    const before = devops.azdo.requestsTo("GET", "_apis/build/definitions");
    const { page, frame, requests } = await openHub();
    assert.deepEqual(await hostState(page), { load: "succeeded", theme: "light", opened: [] });

    const calls = await xdmCalls(page);
    assert.deepEqual(calls[0], {
      instanceId: "DevOps.HostControl",
      methodName: "initialHandshake",
      params: calls[0].params,
    });
    const services = calls.filter((c) => c.methodName === "getService").map((c) => c.params[0]);
    for (const id of ["ms.vss-tfs-web.tfs-page-data-service", "ms.vss-features.location-service"])
      assert.ok(services.includes(id), `getService(${id}) in ${JSON.stringify(services)}`);
    assert.ok(calls.some((c) => c.methodName === "getAccessToken"));
    assert.equal(calls.at(-1)?.methodName, "notifyLoadSucceeded");

    // The frame's origin is not the collection's: the call is cross-origin and carries the token.
    const rest = requests.filter((r) =>
      r.url().startsWith(`${ready.collectionUrl}${ready.project}/_apis/build/definitions`),
    );
    assert.equal(rest.length, 1, requests.map((r) => r.url()).join("\n"));
    const headers = await rest[0].allHeaders();
    assert.equal(headers.authorization, `Bearer ${ready.token}`);
    assert.equal(headers.origin, new URL(frame.url()).origin);
    assert.notEqual(headers.origin, new URL(ready.collectionUrl).origin);
    const response = await rest[0].response();
    assert.equal(response?.status(), 200);
    assert.equal((await response!.allHeaders())["access-control-allow-origin"], headers.origin);
    assert.equal(devops.azdo.requestsTo("GET", "_apis/build/definitions"), before + 1);

    for (const t of tenants) await frame.getByText(t, { exact: true }).waitFor();
    assert.match(await page.title(), /Tenant Sync · TenantSync/);
    await page.screenshot({ path: screenshotPath("host-light"), fullPage: true });
    await page.context().close();
  });

  const background = (frame: Frame) =>
    frame.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--background-color").trim());

  it("applies the host's dark theme with ?theme=dark, and a theme switched live", async () => {
    const { page, frame } = await openHub("?theme=dark");
    assert.equal((await hostState(page)).load, "succeeded");
    assert.equal(await background(frame), "rgba(30, 30, 30, 1)");
    await frame.getByText("contoso", { exact: true }).waitFor();
    await page.screenshot({ path: screenshotPath("host-dark"), fullPage: true });

    await page.evaluate(() => (window as unknown as HostWindow).__setTheme("light"));
    await frame.waitForFunction(
      () =>
        getComputedStyle(document.documentElement).getPropertyValue("--background-color").trim() !==
        "rgba(30, 30, 30, 1)",
    );
    assert.equal(await background(frame), "rgba(255, 255, 255, 1)");
    await page.context().close();
  });

  it("serves the hub page with a content security policy that forbids inline script", async () => {
    const { page, frame } = await openHub();
    const res = await page.context().request.get(frame.url());
    const csp = res.headers()["content-security-policy"];
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, new RegExp(`connect-src ${new URL(ready.collectionUrl).origin.replace(/\./g, "\\.")}`));
    assert.doesNotMatch(await res.text(), /<script>(?!<\/script>)|<script\s[^>]*>[^<]/, "no inline script in hub.html");
    await page.context().close();
  });

  // Last: it revokes the user's token.
  it("reports a refused token through notifyLoadFailed, saying what to do", async () => {
    devops.store.tokens.revoke(ready.token);
    const { page, frame } = await openHub();
    const state = await hostState(page);
    assert.equal(state.load, "failed");
    assert.match(state.failure ?? "", /refused reading the pipelines of .*TenantSync \(HTTP 401/);
    assert.match(state.failure ?? "", /Ask a project administrator/);
    assert.match(await frame.locator("#root").innerText(), /HTTP 401/);
    assert.match(await page.locator("#host-status").innerText(), /failed to load: Tenant Sync was refused/);
    await page.context().close();
  });
});
