/**
 * area — what an area's route file (Entra, conditional access, Intune, group policy) hands the
 * route table: hooks on the generic verbs, hooks on child collections, and its own routes, which
 * are matched before the generic ones.
 */
import type { Hooks } from "../collection";
import type { GraphRoute } from "../context";
import type { ChildHooks } from "../nested";

export interface Area {
  /** By resource key. */
  hooks: Record<string, Hooks>;
  /** By "resourceKey/child"; "*\/child" applies to every type with that child. */
  children: Record<string, ChildHooks>;
  routes: GraphRoute[];
}
