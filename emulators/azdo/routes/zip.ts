/**
 * zip — downloads as the service gives them: a zip of named entries (all of a build's logs, a
 * Container artifact), and whether a request asked for one (Accept: application/zip, or $format=zip
 * in the query as artifact download URLs carry it).
 */
import AdmZip from "adm-zip";
import { bytes, type HttpResponse } from "../../http/response";
import type { RequestContext } from "../context";

/** The media types of the Accept header, lower-cased, without their options. */
export function acceptedTypes(ctx: RequestContext): string[] {
  return String(ctx.headers.accept ?? "")
    .split(",")
    .map((part) => part.split(";")[0].trim().toLowerCase())
    .filter(Boolean);
}

export function wantsZip(ctx: RequestContext): boolean {
  return ctx.url.searchParams.get("$format")?.toLowerCase() === "zip" || acceptedTypes(ctx).includes("application/zip");
}

/** A zip of the entries (path → content), as an application/zip response named `fileName`. */
export function zipResponse(entries: [string, Buffer][], fileName: string): HttpResponse {
  const zip = new AdmZip();
  for (const [name, content] of entries) zip.addFile(name, content);
  return bytes(zip.toBuffer(), "application/zip", 200, {
    "content-disposition": `attachment; filename="${fileName.replace(/"/g, "")}"`,
  });
}

/** A name usable as a zip entry segment: no path separators or characters Windows refuses. */
export function entryName(name: string): string {
  return name.replace(/[\\/:*?"<>|\r\n]/g, "_").trim() || "_";
}
