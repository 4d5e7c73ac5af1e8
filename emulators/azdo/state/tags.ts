/**
 * tags — a build's tags as the service keeps them: unique without regard to case (the first
 * spelling is kept), trimmed, sorted. Nothing here speaks HTTP.
 */
import type { Build } from "./builds";

/** Adds tags (case-insensitive, first spelling kept) and keeps them sorted, as the service lists them. */
export function addTags(build: Build, tags: string[]): void {
  for (const tag of tags.map((t) => t.trim()).filter(Boolean)) {
    if (!build.tags.some((t) => t.toLowerCase() === tag.toLowerCase())) build.tags.push(tag);
  }
  build.tags.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

export function removeTags(build: Build, tags: string[]): void {
  const gone = new Set(tags.map((t) => t.trim().toLowerCase()));
  build.tags = build.tags.filter((t) => !gone.has(t.toLowerCase()));
}
