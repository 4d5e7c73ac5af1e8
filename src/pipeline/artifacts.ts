/**
 * artifacts — what a run leaves for people and for the next stage: files written into one folder and
 * uploaded as a pipeline artifact (artifact.upload: the plan travels from the Plan stage to Deploy this
 * way), and a Markdown file shown as a section of the build summary (task.uploadsummary). The agent
 * uploads asynchronously after the command, so the files must stay where they are.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as tl from "azure-pipelines-task-lib/task";
import { safeOutput } from "../core/index";

export interface ArtifactFiles {
  folder: string;
  artifactName: string;
  /** File name → content, written into `folder`. */
  files: Record<string, string>;
}

/** Writes the files into the folder (created if missing); returns their paths. */
export function writeArtifactFiles(o: ArtifactFiles): string[] {
  const folder = resolve(o.folder);
  mkdirSync(folder, { recursive: true });
  return Object.entries(o.files).map(([name, content]) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  });
}

/** Uploads the folder as the pipeline artifact `artifactName` (its files at the artifact's root). */
export function uploadArtifactFolder(folder: string, artifactName: string): void {
  tl.uploadArtifact(artifactName, resolve(folder), artifactName);
}

/** Adds a Markdown file to the build summary; the section is titled by the file name. */
export function uploadSummary(markdownPath: string): void {
  tl.uploadSummary(resolve(markdownPath));
}

/** Writes the files and uploads the folder as the artifact. */
export function publishArtifact(o: ArtifactFiles): void {
  writeArtifactFiles(o);
  uploadArtifactFolder(o.folder, o.artifactName);
}

/**
 * Shows Markdown as a section of the build summary. The agent titles the section with the file's
 * name, so the file is `<title>.md`, in a folder beside the artifact's (the artifact keeps its names).
 */
export function uploadSummaryAs(artifactFolder: string, title: string, markdown: string): void {
  const [path] = writeArtifactFiles({
    folder: `${resolve(artifactFolder)}-summary`,
    artifactName: "",
    files: { [`${title}.md`]: safeOutput(markdown) },
  });
  uploadSummary(path);
}

/** Where the plan step writes plan.json (plan.md beside it): inside the artifact folder, created if missing. */
export function planFileFor(artifactFolder: string): string {
  mkdirSync(resolve(artifactFolder), { recursive: true });
  return join(resolve(artifactFolder), "plan.json");
}

/** The plan file a deploy reads: the path itself, or plan.json inside a downloaded artifact folder. */
export function planFileIn(path: string): string {
  const full = resolve(path);
  return existsSync(full) && statSync(full).isDirectory() ? join(full, "plan.json") : full;
}
