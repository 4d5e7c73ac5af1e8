/**
 * rest — TEMPORARY stand-in, on the hub-host branch only (drop it when the data layer is merged):
 * what hub/main.tsx hands the data layer, as the data layer's own rest.ts declares it.
 */
export interface HubDataOptions {
  /** The collection URL, ending "/" (https://dev.azure.com/org/). */
  rootPath: string;
  /** Project name or id. */
  project: string;
  /** The user's access token (the SDK's getAccessToken). */
  getToken: () => Promise<string>;
  user: { id: string; uniqueName: string; displayName: string };
  /** Opens a token-free link (a signed download): the host's openNewWindow. */
  open?: (url: string) => void | Promise<void>;
}
