/**
 * resource-type — the shape of a resource type declaration. A resource type is data: where it lives
 * in Microsoft Graph, how objects are named, what the service manages, which properties hold
 * secrets or script bodies, how assignments and sub-resources are read and written, what it
 * references, and the permissions it needs. The engine's generic verbs (export, plan, deploy) read
 * these declarations; adding a type is one file (see README.md).
 *
 * Paths in `serverManaged`, `secrets`, `references` etc. are JSON-pointer patterns over the object
 * as the snapshot stores it: `/a/b` for a property, `*` for every array item or object key
 * (`/assignments/*\/target/groupId`).
 */

export type Workload = "entra" | "intune";
export type ResourceTypeId = `${Workload}.${string}`;
export type GraphVersion = "v1.0" | "beta";

export interface ReferenceSpec {
  /** The type the value (an id) refers to. */
  type: ResourceTypeId;
  /** Values that are not ids but keywords meaning the same in every tenant ("All", "all_users"). */
  globals?: string[];
  /**
   * Only a reference when the object holding the value has these sibling values (cross-tenant and
   * authentication-method targets hold a group id only when `targetType` is "group").
   */
  when?: Record<string, unknown>;
}

export interface AssignmentsSpec {
  /**
   * How to read: GET /{id}/assignments per object ("list"), $expand=assignments on GET by id
   * ("expand"), or $expand=assignments on the list call itself ("withList": no per-object request).
   */
  read: "list" | "expand" | "withList";
  /**
   * How to write: POST /{id}/assign with `{ [bodyKey]: [...] }` (replaces all), or one
   * POST /{id}/assignments per assignment (and DELETE /{id}/assignments/{assignmentId}).
   */
  write: { kind: "assign"; bodyKey: string } | { kind: "perAssignment" };
  /** Assignment properties besides `target` worth keeping (health script schedules). */
  keep?: string[];
}

export interface SubResourceSpec {
  /** Property of the snapshot object the sub-resource is stored under. */
  property: string;
  /** Path relative to the object, with its query (e.g. "definitionValues?$expand=definition"). */
  path: string;
  /**
   * Expanded on the list call instead of read per object: `settings` → `$expand=settings`,
   * `x?$expand=y` → `$expand=x($expand=y)`. Only where the service serves that expansion on a list.
   */
  withList?: boolean;
  /** Read per item of this sub-resource, stored under the item's `property`. */
  children?: SubResourceSpec[];
  /** Properties of each item the service manages (dropped); pointers relative to the item. */
  serverManaged?: string[];
  /**
   * Collection serving each item in full by id (GET {itemPath}/{itemId}), when the list under `path`
   * returns only summaries (Intune role assignments: /deviceManagement/roleAssignments).
   */
  itemPath?: string;
}

/**
 * How deploy writes a property that is not sent in the object's main create / update body: a
 * sub-resource, or a property the service changes only through an action. Paths are relative to the
 * object (`{collection}/{id}`, or the singleton's path).
 *  - `inline`: in the create body (deep insert) and in the PUT body of an update; types updated with
 *    PATCH cannot change it.
 *  - `action`: POST {object}/{action} `{ [bodyKey]: value }` on update; on create either deep-inserted
 *    (`onCreate: "inline"`) or the same action right after the POST.
 *  - `object`: one contained object, PATCHed at {object}/{path} (default: the sub-resource's path).
 *  - `items`: contained items paired with the tenant's by `key`: new ones POSTed to {object}/{path}
 *    (or `itemPath`), changed ones PATCHed and unwanted ones DELETEd at {…}/{item[urlKey]}. `verbs`
 *    limits what the service allows (fixed sets can only be updated); `bind` names a navigation
 *    property bound to the parent object on create (`roleDefinition@odata.bind`).
 *  - `hook`: a named deploy hook for a write the shape cannot say (group policy definition values).
 *  - `refs`: links to objects of another collection (`target`, e.g. an app's categories), read as a
 *    list of `{ id }`: a missing link is POSTed to {object}/{path}/$ref as `{ "@odata.id": url }`, an
 *    unwanted one DELETEd at {object}/{path}/{id}/$ref; the linked objects themselves are never written.
 */
export type SeparateWrite =
  | { kind: "inline" }
  | { kind: "action"; action: string; bodyKey: string; onCreate: "inline" | "action" }
  | { kind: "object"; path?: string }
  | { kind: "items"; key: string; path?: string; itemPath?: string; urlKey?: string; verbs?: ItemVerb[]; bind?: string }
  | { kind: "hook"; hook: WriteHook }
  | { kind: "refs"; target: string; path?: string };

export type ItemVerb = "create" | "update" | "delete";

/** Named deploy hooks (src/core/sync): each is one tested function. */
export type WriteHook = "groupPolicyDefinitionValues";

/**
 * Writes the service does not let an application make (it needs a person in the admin center, or a
 * file only an admin holds, such as a token downloaded from Apple). `allowed`:
 *  - "none": backed up only — exported to git like any other type, never written by deploy;
 *  - "update": objects the tenant has are updated; creating or deleting one is left to a person.
 * A plan lists the writes it leaves out as refused, with `why` and what to do `instead`.
 */
export interface WriteRestriction {
  allowed: "none" | "update";
  /** Why the service does not allow the write, for the plan's reader. */
  why: string;
  /** What a person does instead ("upload the token in the Intune admin center, then run the backup"). */
  instead: string;
}

export interface FileSpec {
  /** Property holding the body (base64 in Graph). */
  property: string;
  /** File name suffix next to the object's JSON file, e.g. ".ps1" or ".detection.ps1". */
  suffix: string;
}

export interface ResourceType {
  id: ResourceTypeId;
  title: string;
  version: GraphVersion;
  /** Collection path (or the singleton's path). */
  collection: string;
  kind: "collection" | "singleton";
  /** Property naming the object: pairs objects across tenants and names its file. */
  naturalKey: string;
  /**
   * $filter the collection is listed with, when it also holds objects of other types that this type
   * leaves alone (web links among all Intune apps: `isof('microsoft.graph.webApp')`).
   */
  listFilter?: string;
  /** $expand used when listing (on GET by id instead for `readById` types), to save per-object requests. */
  expand?: string[];
  /**
   * The $top the list asks for: the largest page the collection serves, so the tenant is read in
   * the fewest pages. The declaration's comment names where the number comes from.
   */
  pageSize?: number;
  /** The list omits properties only GET by id returns (script bodies). */
  readById?: boolean;
  /** Properties the service computes: dropped from snapshots, never sent. */
  serverManaged: string[];
  /** Sent on create only, never on update. */
  createOnly?: string[];
  /** Properties holding secrets: never written to a snapshot (a placeholder names the secret). */
  secrets?: string[];
  /**
   * A secret listed here is one only when the object holding it has these sibling values (or, given a
   * list, those of one of its entries; `undefined`: the sibling is absent); other values stay in the
   * snapshot. OMA-URI strings: `isEncrypted: true` as the tenant returns them, or their @odata.type
   * without isEncrypted, as a repository file has them.
   */
  secretWhen?: Record<string, Record<string, unknown> | Record<string, unknown>[]>;
  /** Base64 bodies stored as files beside the JSON, decoded. */
  files?: FileSpec[];
  /**
   * A singleton a tenant may not have: GET answers 404 until an admin sets it up (the Apple push
   * certificate of a tenant without Apple devices); the backup then holds none, instead of failing.
   */
  mayBeAbsent?: boolean;
  /** Arrays whose order carries no meaning: sorted in snapshots. */
  unorderedArrays?: string[];
  update: "PATCH" | "PUT";
  /** Polymorphic collections: @odata.type is required on create and update. */
  requiresODataType?: boolean;
  assignments?: AssignmentsSpec;
  subResources?: SubResourceSpec[];
  references?: Record<string, ReferenceSpec>;
  /** Objects not managed here (built-ins, global objects): property → value that marks them. */
  skip?: Record<string, unknown>;
  /**
   * Objects created by an action instead of a POST to the collection (security baselines: POST
   * /deviceManagement/templates/{templateId}/createInstance). Each `{name}` in `path` is filled with the
   * object's value of that top-level property, which the create body then leaves out; `bodyKeys` renames
   * properties of the create body (`settings` → `settingsDelta`). Updates and deletes still address
   * `{collection}/{id}`.
   */
  createVia?: { path: string; bodyKeys?: Record<string, string> };
  /** Write through a collection named by @odata.type instead of `collection` (app protection). */
  writeCollections?: Record<string, string>;
  /**
   * Top-level properties deploy writes apart from the main body, and how (every sub-resource has an
   * entry). Assignments are not listed here: `assignments` says how they are written.
   */
  writeApart?: Record<string, SeparateWrite>;
  /** Writes left to a person (absent: every write is made). */
  writes?: WriteRestriction;
  /**
   * A singleton that is a property of another object (deviceManagement's `settings`): read at
   * `collection`, updated by sending `update` to `path` with the body under `property`
   * (PATCH /deviceManagement `{ settings: {...} }`).
   */
  writtenThrough?: { path: string; property: string };
  permissions: { read: string[]; write: string[] };
}

/** The navigation property a path or $expand clause names: "x?$expand=y" and "x($expand=y)" → "x". */
export function navigationOf(clause: string): string {
  return clause.split("?")[0].split("(")[0];
}

/** The $expand clause of a sub-resource read with the list: "x?$expand=y" → "x($expand=y)". */
export function expansionOf(sub: SubResourceSpec): string {
  const [nav, query] = sub.path.split("?");
  return query ? `${nav}(${query.split("&").join(";")})` : nav;
}

/** What the list call of a type expands (empty for types read by id, whose expansions go on that GET). */
export function listExpansions(type: ResourceType): string[] {
  if (type.readById) return [];
  return [
    ...(type.expand ?? []),
    ...(type.assignments?.read === "withList" ? ["assignments"] : []),
    ...(type.subResources ?? []).filter((s) => s.withList).map(expansionOf),
  ];
}

/** Whether the object holding a value at a secret pattern makes it a secret (no condition: always). */
export function secretConditionHolds(type: ResourceType, pattern: string, holder: unknown): boolean {
  const when = type.secretWhen?.[pattern];
  if (!when) return true;
  if (typeof holder !== "object" || holder === null || Array.isArray(holder)) return false;
  return (Array.isArray(when) ? when : [when]).some((c) =>
    Object.entries(c).every(([k, v]) => (holder as Record<string, unknown>)[k] === v),
  );
}

/**
 * Whether the type refuses this write (an update of its assignments counts as an update): the
 * restriction that refuses it, or undefined when deploy may make it.
 */
export function refusedWrite(
  type: ResourceType,
  action: "create" | "update" | "assign" | "delete",
): WriteRestriction | undefined {
  const writes = type.writes;
  if (!writes) return undefined;
  return writes.allowed === "none" || action === "create" || action === "delete" ? writes : undefined;
}

/** A declaration, checked for the few things TypeScript cannot check. */
export function defineResourceType(type: ResourceType): ResourceType {
  if (!/^(entra|intune)\.[a-z][A-Za-z0-9]*$/.test(type.id))
    throw new Error(`resource type id "${type.id}" must be <workload>.<singularCamelCase>`);
  if (!type.collection.startsWith("/")) throw new Error(`${type.id}: collection must start with "/"`);
  if (type.readById && (type.assignments?.read === "withList" || type.subResources?.some((s) => s.withList)))
    throw new Error(`${type.id}: a type read by id expands on that GET, not on the list ("withList")`);
  if (type.writtenThrough && type.kind !== "singleton")
    throw new Error(`${type.id}: only a singleton is written through another object`);
  if (type.writes && (!type.writes.why.trim() || !type.writes.instead.trim()))
    throw new Error(`${type.id}: a write restriction says why and what to do instead`);
  return Object.freeze(type);
}

/** Patterns shared by many declarations. */
export const assignmentTargetReferences: Record<string, ReferenceSpec> = {
  "/assignments/*/target/groupId": { type: "entra.group" },
  "/assignments/*/target/deviceAndAppManagementAssignmentFilterId": {
    type: "intune.assignmentFilter",
    globals: ["00000000-0000-0000-0000-000000000000"],
  },
};

export const scopeTagReferences: Record<string, ReferenceSpec> = {
  "/roleScopeTagIds/*": { type: "intune.roleScopeTag", globals: ["0"] },
};

export const intuneServerManaged = ["/id", "/createdDateTime", "/lastModifiedDateTime", "/version", "/@odata.context"];
/**
 * The page size Intune lists are read with: Intune publishes no maximum; IntuneManagement v4 sends
 * $top=1000 to every Intune list it reads (its base class), and no source shows more honoured.
 */
export const intunePageSize = 1000;
export const intuneRead = ["DeviceManagementConfiguration.Read.All"];
export const intuneWrite = ["DeviceManagementConfiguration.ReadWrite.All"];
/**
 * Scripts (PowerShell, shell, custom attribute, remediation) ask for both families: writes were seen to
 * fail without DeviceManagementScripts.*, while the permission data maps scripts to the configuration one.
 */
export const intuneScriptPermissions = {
  read: [...intuneRead, "DeviceManagementScripts.Read.All"],
  write: [...intuneWrite, "DeviceManagementScripts.ReadWrite.All"],
};
