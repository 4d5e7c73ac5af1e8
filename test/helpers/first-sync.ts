/**
 * first-sync — a pipeline checkout (working copy with a local origin) that has taken in the Graph
 * emulator's tenant by one in-process sync, for task tests that start from a synced repository.
 */
import type { ReadyInfo } from "../../emulators/graph/server";
import { createCredential, GraphClient, planStep } from "../../src/core/index";
import { checkoutWithOrigin, type RemoteCheckout } from "./git-remote";

/** checkoutWithOrigin(), then a first sync of its working copy with the emulator (committed, not pushed). */
export async function syncedCheckout(info: ReadyInfo): Promise<RemoteCheckout> {
  const checkout = checkoutWithOrigin();
  const credential = createCredential(
    { kind: "clientSecret", tenantId: info.tenantId, clientId: info.clientId, clientSecret: info.clientSecret },
    { authorityHost: info.authorityHost },
  );
  await planStep({
    repoDir: checkout.work,
    graph: new GraphClient({ graphUrl: info.graphUrl, credential }),
    identity: { authorityHost: info.authorityHost, tenantId: info.tenantId, clientId: info.clientId },
  });
  return checkout;
}
