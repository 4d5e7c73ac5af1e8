/**
 * build-lists — the two build-area list calls of azure-devops-node-api with named arguments: its
 * getDefinitions and getBuilds take twenty positional parameters, most left undefined here.
 */
import type { IBuildApi } from "azure-devops-node-api/BuildApi";

export function listDefinitions(
  build: IBuildApi,
  project: string,
  o: { name?: string; path?: string; continuationToken?: string; includeLatestBuilds?: boolean },
) {
  const skip = undefined;
  return build.getDefinitions(
    project,
    o.name,
    skip,
    skip,
    skip,
    skip,
    o.continuationToken,
    skip,
    skip,
    o.path,
    skip,
    skip,
    skip,
    o.includeLatestBuilds,
  );
}

export function listBuilds(
  build: IBuildApi,
  project: string,
  o: {
    definitions?: number[];
    properties?: string[];
    top?: number;
    continuationToken?: string;
    perDefinition?: number;
  },
) {
  const skip = undefined;
  return build.getBuilds(
    project,
    o.definitions,
    skip,
    skip,
    skip,
    skip,
    skip,
    skip,
    skip,
    skip,
    skip,
    o.properties,
    o.top,
    o.continuationToken,
    o.perDefinition,
  );
}
