/**
 * self — azure-devops-extension-api's fetch polyfill looks for `self`, which Node lacks: point it at
 * the global object (Node's own fetch stays in place). Imported first by the hub data tests, before
 * anything that loads the clients.
 */
(globalThis as { self?: unknown }).self ??= globalThis;
