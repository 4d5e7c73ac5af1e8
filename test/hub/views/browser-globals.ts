/**
 * browser-globals — loads the hub's views in Node for server-side rendering tests. azure-devops-ui
 * imports .css files and, at load time, touches window, document and HTMLElement (polyfills, a
 * keydown listener, document.body as a root). So: .css requires become no-ops, its browser polyfill
 * module is skipped, and a few inert globals exist only while the views load or render (other tests
 * in the same process must not see a `window`).
 */
import Module from "node:module";
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";

const extensions = (Module as unknown as { _extensions: Record<string, unknown> })._extensions;
extensions[".css"] = () => undefined;

// React DOM is loaded first, without a window, so its scheduler takes the Node path.
require("react-dom");

const polyfills = require.resolve("azure-devops-ui/CommonImports");
if (!require.cache[polyfills]) {
  // The browser polyfills are not needed in Node: an empty, already-loaded module stands in for them.
  const empty = new Module(polyfills);
  empty.loaded = true;
  require.cache[polyfills] = empty;
}

const noop = () => undefined;
const inert: Record<string, unknown> = {
  document: { addEventListener: noop, removeEventListener: noop, body: {}, documentElement: {} },
  addEventListener: noop,
  removeEventListener: noop,
  HTMLElement: class {},
  Element: class {},
  requestAnimationFrame: (f: () => void) => setTimeout(f, 0),
  cancelAnimationFrame: (t: ReturnType<typeof setTimeout>) => clearTimeout(t),
};

/** Runs `load` (requires of view modules, rendering) with the inert browser globals present, then removes them. */
export function withBrowserGlobals<T>(load: () => T): T {
  const g = globalThis as Record<string, unknown>;
  const added = Object.keys(inert).filter((k) => !(k in g));
  const hadWindow = "window" in g;
  for (const k of added) g[k] = inert[k];
  if (!hadWindow) g.window = g;
  try {
    return load();
  } finally {
    for (const k of added) delete g[k];
    if (!hadWindow) delete g.window;
  }
}

/** The static markup of `element`, rendered with the inert browser globals. */
export const render = (element: ReactElement) => withBrowserGlobals(() => renderToStaticMarkup(element));
