/**
 * The REST surface of the Azure DevOps emulator: one route table gathered from the area files
 * (OIDC, builds, properties, tags, definitions, timeline, logs, artifacts, attachments, git REST and
 * smart HTTP, security (access control lists), pipelines, approvals, checks, environments, permissions, service endpoints, location
 * discovery). Each route's template is also its counter key.
 */
import type { AzdoRoute } from "../context";
import { artifactRoutes } from "./artifacts";
import { attachmentRoutes } from "./attachments";
import { buildRoutes } from "./builds";
import { approvalRoutes } from "./approvals";
import { checkRoutes } from "./checks";
import { connectionDataRoutes } from "./connection-data";
import { definitionRoutes } from "./definitions";
import { endpointRoutes } from "./endpoints";
import { environmentRoutes } from "./environments";
import { gitRestRoutes } from "./git";
import { gitSmartRoutes } from "./git-smart";
import { locationRoutes } from "./locations";
import { logRoutes } from "./logs";
import { oidcRoutes } from "./oidc";
import { permissionRoutes } from "./permissions";
import { pipelineRoutes } from "./pipelines";
import { projectRoutes } from "./projects";
import { identityRoutes } from "./identities";
import { securityRoutes } from "./security";
import { propertyRoutes } from "./properties";
import { tagRoutes } from "./tags";
import { timelineRoutes } from "./timeline";

export const routes: readonly AzdoRoute[] = [
  ...oidcRoutes,
  ...projectRoutes,
  ...connectionDataRoutes,
  ...buildRoutes,
  ...propertyRoutes,
  ...tagRoutes,
  ...gitRestRoutes,
  ...gitSmartRoutes,
  ...securityRoutes,
  ...identityRoutes,
  // Pipelines, approvals, checks, environments, permissions, service endpoints.
  ...approvalRoutes,
  ...checkRoutes,
  ...environmentRoutes,
  ...permissionRoutes,
  ...endpointRoutes,
  ...pipelineRoutes,
  // The build area's run data and definitions, then location discovery over the whole table.
  ...definitionRoutes,
  ...timelineRoutes,
  ...logRoutes,
  ...artifactRoutes,
  ...attachmentRoutes,
  ...locationRoutes(() => routes),
];
