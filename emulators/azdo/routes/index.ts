/**
 * The REST surface of the Azure DevOps emulator: one route table gathered from the area files
 * (OIDC, builds, properties, tags, git REST and git smart HTTP). Each route's template is also its counter key.
 */
import type { AzdoRoute } from "../context";
import { buildRoutes } from "./builds";
import { gitRestRoutes } from "./git";
import { gitSmartRoutes } from "./git-smart";
import { oidcRoutes } from "./oidc";
import { propertyRoutes } from "./properties";
import { tagRoutes } from "./tags";
// Pipelines, approvals, checks, environments, permissions, service endpoints.
import { approvalRoutes } from "./approvals";
import { checkRoutes } from "./checks";
import { endpointRoutes } from "./endpoints";
import { environmentRoutes } from "./environments";
import { permissionRoutes } from "./permissions";
import { pipelineRoutes } from "./pipelines";

export const routes: readonly AzdoRoute[] = [
  ...oidcRoutes,
  ...buildRoutes,
  ...propertyRoutes,
  ...tagRoutes,
  ...gitRestRoutes,
  ...gitSmartRoutes,
  // Pipelines, approvals, checks, environments, permissions, service endpoints.
  ...approvalRoutes,
  ...checkRoutes,
  ...environmentRoutes,
  ...permissionRoutes,
  ...endpointRoutes,
  ...pipelineRoutes,
];
