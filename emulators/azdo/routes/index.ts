/**
 * The REST surface of the Azure DevOps emulator: one route table gathered from the area files
 * (OIDC, builds, properties, tags, definitions, timeline, logs, artifacts, attachments, location discovery). Each route's template is also its counter key.
 */
import type { AzdoRoute } from "../context";
import { artifactRoutes } from "./artifacts";
import { attachmentRoutes } from "./attachments";
import { buildRoutes } from "./builds";
import { definitionRoutes } from "./definitions";
import { locationRoutes } from "./locations";
import { logRoutes } from "./logs";
import { oidcRoutes } from "./oidc";
import { propertyRoutes } from "./properties";
import { tagRoutes } from "./tags";
import { timelineRoutes } from "./timeline";

export const routes: readonly AzdoRoute[] = [
  ...oidcRoutes,
  ...buildRoutes,
  ...propertyRoutes,
  ...tagRoutes,
  // The build area's run data and definitions, then location discovery over the whole table.
  ...definitionRoutes,
  ...timelineRoutes,
  ...logRoutes,
  ...artifactRoutes,
  ...attachmentRoutes,
  ...locationRoutes(() => routes),
];
