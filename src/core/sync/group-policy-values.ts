/**
 * group-policy-values — the deploy hook "groupPolicyDefinitionValues": administrative template values
 * change only through POST /{id}/updateDefinitionValues {added, updated, deletedIds}, and each value
 * binds its definition and presentations by URL (`definition@odata.bind`) instead of the expanded
 * `definition` / `presentation` the snapshot holds: the service refuses the expanded form on write. Values pair by definition.
 */
import { SyncError } from "../errors";
import { isJsonObject, type JsonObject, type JsonValue } from "../snapshot/pointer";
import type { WriteContext } from "./write-context";

/** Where group policy definitions live; built-in ADMX definition ids are the same in every tenant. */
export const groupPolicyDefinitionsPath = "/deviceManagement/groupPolicyDefinitions";

export interface DefinitionValueWrites {
  added: JsonObject[];
  updated: JsonObject[];
  deletedIds: string[];
}

function idOf(value: JsonValue | undefined): string | undefined {
  return isJsonObject(value) && typeof value.id === "string" ? value.id : undefined;
}

/** One wanted value as updateDefinitionValues takes it. */
function valueBody(
  value: JsonObject,
  definitionsUrl: string,
  address: string,
): { definitionId: string; body: JsonObject } {
  const { definition, presentationValues, id: _id, ...rest } = value;
  const definitionId = idOf(definition);
  if (!definitionId)
    throw new SyncError("deploy.failed", `${address} has a definition value without definition.id.`, {
      object: address,
      hint: "Give each value its definition (as the backup writes it), then plan again.",
    });
  const definitionUrl = `${definitionsUrl}('${definitionId}')`;
  const presentations = (Array.isArray(presentationValues) ? presentationValues : []).filter(isJsonObject).map((p) => {
    const { presentation, id: _pid, ...own } = p;
    const presentationId = idOf(presentation);
    if (!presentationId)
      throw new SyncError(
        "deploy.failed",
        `${address} has a presentation value of definition ${definitionId} without presentation.id.`,
        {
          object: address,
          hint: "Give each presentation value its presentation (as the backup writes it), then plan again.",
        },
      );
    return { ...own, "presentation@odata.bind": `${definitionUrl}/presentations('${presentationId}')` };
  });
  return { definitionId, body: { ...rest, "definition@odata.bind": definitionUrl, presentationValues: presentations } };
}

/**
 * What to send so the configuration holds exactly `wanted`: values of a definition it already has are
 * updated (keeping their id), others added, and values of definitions no longer wanted deleted.
 */
export function planDefinitionValueWrites(
  wanted: JsonObject[],
  current: { id: string; definitionId: string }[],
  definitionsUrl: string,
  address: string,
): DefinitionValueWrites {
  const free = [...current];
  const writes: DefinitionValueWrites = { added: [], updated: [], deletedIds: [] };
  for (const value of wanted) {
    const { definitionId, body } = valueBody(value, definitionsUrl, address);
    const match = free.findIndex((c) => c.definitionId === definitionId);
    if (match >= 0) writes.updated.push({ ...body, id: free.splice(match, 1)[0].id });
    else writes.added.push(body);
  }
  writes.deletedIds = free.map((c) => c.id);
  return writes;
}

export async function writeGroupPolicyDefinitionValues(
  ctx: WriteContext,
  wanted: JsonValue,
  graphUrl: string,
): Promise<void> {
  const values = (Array.isArray(wanted) ? wanted : []).filter(isJsonObject);
  const { graph, type, address, objectPath } = ctx;
  const current = ctx.isFresh
    ? []
    : (
        (await graph.listAll(
          type.version,
          `${objectPath}/definitionValues?$expand=definition`,
          address,
        )) as JsonObject[]
      )
        .filter((v) => typeof v.id === "string")
        .map((v) => ({ id: String(v.id), definitionId: idOf(v.definition) ?? "" }));
  const writes = planDefinitionValueWrites(
    values,
    current,
    `${graphUrl}/${type.version}${groupPolicyDefinitionsPath}`,
    address,
  );
  if (writes.added.length + writes.updated.length + writes.deletedIds.length === 0) return;
  await graph.send("POST", type.version, `${objectPath}/updateDefinitionValues`, writes, address);
}
