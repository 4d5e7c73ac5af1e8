/**
 * The engine's credentials (src/core/graph/credentials.ts) against the emulator's identity platform:
 * the device-code prompt reaches the callback, a completed sign-in yields a delegated token, and an
 * abandoned one gives up with auth.deviceCodeTimeout instead of waiting for ever.
 */
import assert from "node:assert/strict";
import { createCredential, graphScope, type DeviceCodePrompt } from "../../src/core/graph/credentials";
import { grantedPermissions } from "../../src/core/graph/permissions";
import { isSyncError } from "../../src/core/errors";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

describe("createCredential", function () {
  this.timeout(20_000);
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" }, deviceCodeIntervalSeconds: 1 });
  });
  after(async () => t.emulator.stop());

  it("passes the device-code prompt to the callback and returns a delegated token once the user signs in", async () => {
    const prompts: DeviceCodePrompt[] = [];
    const credential = createCredential(
      {
        kind: "deviceCode",
        tenantId: t.info.tenantId,
        clientId: t.info.clientId,
        onPrompt: (p) => {
          prompts.push(p);
          setTimeout(() => void t.control("POST", `/devicecodes/${p.userCode}/complete`, {}), 300);
        },
      },
      { authorityHost: t.info.authorityHost },
    );
    const token = await credential.getToken(graphScope);
    assert.equal(prompts.length, 1);
    assert.match(prompts[0].verificationUri, /\/devicelogin$/);
    assert.ok(prompts[0].expiresAt.getTime() > Date.now());
    assert.ok(grantedPermissions(String(token?.token)).includes("Group.Read.All"), "delegated scopes come from scp");
  });

  it("gives up on a device-code sign-in nobody completes, with auth.deviceCodeTimeout", async () => {
    const credential = createCredential(
      {
        kind: "deviceCode",
        tenantId: t.info.tenantId,
        clientId: t.info.clientId,
        onPrompt: () => undefined,
        timeoutMs: 1500,
      },
      { authorityHost: t.info.authorityHost },
    );
    await assert.rejects(credential.getToken(graphScope), (e: unknown) => {
      assert.ok(isSyncError(e));
      assert.equal(e.code, "auth.deviceCodeTimeout");
      assert.match(String(e.detail.hint), /Run again/);
      return true;
    });
  });
});
