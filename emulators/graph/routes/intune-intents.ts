/**
 * intune-intents — security baselines and endpoint-security profiles (deviceManagement/intents) and the
 * Microsoft templates they are made from: the templates are read-only and the same in every tenant; an
 * intent is made from one (POST templates/{id}/createInstance, or POST intents with its templateId) and
 * holds one setting instance per template setting, changed only through POST intents/{id}/updateSettings.
 */
import { json, noContent } from "../answers";
import { entityAnswer, findObject, type Hooks, listPage } from "../collection";
import type { RequestContext } from "../context";
import { badRequest, notFound } from "../errors";
import { isObject, type Json, renderChild, stampModified } from "../entities";
import {
  type IntentTemplate,
  intentTemplate,
  intentTemplates,
  settingProps,
  templateSettings,
} from "../intent-templates";
import { mountAt } from "../mounts";
import { intentTemplateModel } from "../service-model";
import type { StoredObject } from "../tenant-store";
import type { Area } from "./area";
import { asArray, requireFields, route } from "./common";

const intents = mountAt("/deviceManagement/intents");
const templates = mountAt(intentTemplateModel.path);
const intentKey = intents.model.key;

function templateObject(ctx: RequestContext, t: IntentTemplate): StoredObject {
  const { settings: _settings, ...props } = t;
  const intentCount = ctx.tenant.list(intentKey).filter((o) => o.props.templateId === t.id).length;
  return { id: t.id, props: { ...props, intentCount }, nav: { settings: templateSettings(t) } };
}

function findTemplate(ctx: RequestContext, id: string): IntentTemplate {
  const key = id.replace(/^\('?|'?\)$/g, "");
  return intentTemplate(key) ?? notFound(key, ctx.now, "intune");
}

const kinds: Record<string, (v: unknown) => boolean> = {
  boolean: (v) => typeof v === "boolean",
  integer: (v) => Number.isInteger(v),
  string: (v) => typeof v === "string",
  complex: (v) => isObject(v) || v === null,
};

/**
 * The wanted values of `given` setting instances, by definitionId, checked against the template: each
 * names one of its settings and carries valueJson (or a typed value) of that setting's kind. Instances are
 * paired by definitionId; an id sent along is not looked at.
 */
function settingValues(
  ctx: RequestContext,
  template: IntentTemplate,
  given: unknown,
  param: string,
): Map<string, string> {
  if (given !== undefined && !Array.isArray(given))
    badRequest(`The parameter '${param}' must be a collection of setting instances.`, ctx.now, "intune");
  const values = new Map<string, string>();
  for (const item of asArray(given)) {
    const definitionId = isObject(item) ? item.definitionId : undefined;
    const setting = template.settings.find((s) => s.definitionId === definitionId);
    if (!isObject(item) || !setting)
      badRequest(
        `The setting '${String(definitionId)}' is not a setting of template '${template.id}' (${template.displayName}). Use the definitionIds of the template's settings.`,
        ctx.now,
        "intune",
      );
    let parsed: unknown;
    try {
      parsed = typeof item.valueJson === "string" ? JSON.parse(item.valueJson) : item.value;
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || !kinds[setting.type](parsed))
      badRequest(
        `Setting ${setting.definitionId} has invalid ValueJson. Setting Id: ${setting.definitionId}`,
        ctx.now,
        "intune",
      );
    values.set(setting.definitionId, JSON.stringify(parsed));
  }
  return values;
}

function withValues(settings: StoredObject[], values: Map<string, string>): StoredObject[] {
  return settings.map((s) => {
    const wanted = values.get(String(s.props.definitionId));
    const { "@odata.type": odataType, definitionId } = s.props as { "@odata.type": string; definitionId: string };
    return wanted === undefined ? s : { ...s, props: settingProps(odataType, definitionId, wanted) };
  });
}

const createParams = ["displayName", "description", "settingsDelta", "roleScopeTagIds"];

/** A new intent from the template: its defaults, with the given settings' values instead. */
function newIntent(ctx: RequestContext, template: IntentTemplate, body: Json, delta: unknown): StoredObject {
  requireFields(ctx, intents.model, body, ["displayName"]);
  if (template.isDeprecated)
    badRequest(`Template '${template.id}' is deprecated; create the intent from its newer version.`, ctx.now, "intune");
  const values = settingValues(ctx, template, delta, "settingsDelta");
  const object: StoredObject = {
    id: ctx.tenant.newId(intentKey),
    props: {
      displayName: body.displayName,
      description: body.description ?? "",
      isAssigned: false,
      isMigratingToConfigurationPolicy: false,
      lastModifiedDateTime: new Date(ctx.now).toISOString(),
      templateId: template.id,
      roleScopeTagIds: Array.isArray(body.roleScopeTagIds) ? body.roleScopeTagIds : ["0"],
    },
    nav: { settings: templateSettings(template, values), assignments: [] },
  };
  ctx.tenant.put(intentKey, object);
  return object;
}

// Parameters the action does not define are ignored, as the service was seen to do.
function createInstance(ctx: RequestContext) {
  const template = findTemplate(ctx, ctx.params.id);
  const body = isObject(ctx.body) ? ctx.body : {};
  const known = Object.fromEntries(Object.entries(body).filter(([k]) => createParams.includes(k)));
  return entityAnswer(ctx, intents, newIntent(ctx, template, known, body.settingsDelta));
}

function createIntent(ctx: RequestContext) {
  const body = isObject(ctx.body) ? ctx.body : {};
  requireFields(ctx, intents.model, body, ["templateId"]);
  const template = intentTemplate(String(body.templateId));
  if (!template)
    badRequest(
      `Invalid value specified for property 'templateId': '${String(body.templateId)}' is no template.`,
      ctx.now,
      "intune",
    );
  return entityAnswer(ctx, intents, newIntent(ctx, template, body, undefined), 201);
}

function updateSettings(ctx: RequestContext) {
  const object = findObject(ctx, intents, ctx.params.id);
  const body = isObject(ctx.body) ? ctx.body : {};
  const unexpected = Object.keys(body).find((k) => k !== "settings");
  if (unexpected || !Array.isArray(body.settings))
    badRequest(
      `The parameter '${unexpected ?? "settings"}' in the request payload is not a valid parameter for the operation 'updateSettings'.`,
      ctx.now,
      "intune",
    );
  const template =
    intentTemplate(String(object.props.templateId)) ?? notFound(String(object.props.templateId), ctx.now, "intune");
  object.nav.settings = withValues(object.nav.settings ?? [], settingValues(ctx, template, body.settings, "settings"));
  stampModified(intents.model, object, ctx.now);
  return noContent();
}

function listTemplates(ctx: RequestContext) {
  const objects = intentTemplates.map((t) => templateObject(ctx, t));
  return listPage(ctx, intentTemplateModel, objects, "deviceManagement/templates");
}

function listTemplateSettings(ctx: RequestContext) {
  const t = templateObject(ctx, findTemplate(ctx, ctx.params.id));
  return json({
    "@odata.context": `${ctx.graphUrl}/${ctx.version}/$metadata#deviceManagement/templates('${t.id}')/settings`,
    value: (t.nav.settings ?? []).map((c) => renderChild(c)),
  });
}

const hooks: Record<string, Hooks> = {
  deviceManagementIntent: {
    afterWrite(_ctx, object) {
      object.props.isAssigned = (object.nav.assignments ?? []).length > 0;
    },
  },
};

export const intuneIntents: Area = {
  hooks,
  children: {},
  routes: [
    route(intents, "POST", "", createIntent),
    route(intents, "POST", "/{id}/updateSettings", updateSettings, { otherMethodsAreNoRoute: true }),
    route(templates, "GET", "", listTemplates),
    route(templates, "GET", "/{id}", (ctx) =>
      entityAnswer(ctx, templates, templateObject(ctx, findTemplate(ctx, ctx.params.id))),
    ),
    route(templates, "GET", "/{id}/settings", listTemplateSettings),
    route(templates, "POST", "/{id}/createInstance", createInstance, { otherMethodsAreNoRoute: true }),
  ],
};
