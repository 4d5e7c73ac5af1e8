/**
 * artifacts — what a build publishes: Container artifacts (artifact.upload: files kept here, served
 * as a zip) and Pipeline artifacts, or an artifact only associated by the agent (POST …/artifacts,
 * no files). Files are kept in memory as path → bytes. Nothing here speaks HTTP.
 */
import type { Build } from "./builds";

export type ArtifactType = "Container" | "PipelineArtifact" | "FilePath" | "GitRef" | "VersionControl";

export interface BuildArtifact {
  id: number;
  name: string;
  source: string | null;
  type: ArtifactType;
  /** The resource's data: "#/<containerId>/<name>" for a Container. */
  data: string;
  properties: Record<string, string>;
  /** Relative paths ("drop/plan.json") → content; empty for an associated artifact. */
  files: Map<string, Buffer>;
}

export interface ArtifactOptions {
  type?: ArtifactType;
  data?: string;
  properties?: Record<string, string>;
  source?: string | null;
}

export class ArtifactState {
  private readonly artifacts = new Map<number, BuildArtifact[]>();
  private nextId = 1;

  list(build: Build): BuildArtifact[] {
    return this.artifacts.get(build.id) ?? [];
  }

  /** By name, without regard to case (as the service looks it up). */
  find(build: Build, name: string): BuildArtifact | undefined {
    return this.list(build).find((a) => a.name.toLowerCase() === name.toLowerCase());
  }

  /**
   * Adds an artifact with its files (a Container unless said otherwise); refused when the build
   * has one of that name already, as the service refuses a second association.
   */
  addArtifact(
    build: Build,
    name: string,
    files: Record<string, Buffer | string> | Map<string, Buffer> = {},
    options: ArtifactOptions = {},
  ): BuildArtifact {
    if (this.find(build, name)) throw new Error(`Build ${build.id} already has an artifact named ${name}.`);
    const id = this.nextId++;
    const entries = files instanceof Map ? [...files] : Object.entries(files);
    const type = options.type ?? "Container";
    const artifact: BuildArtifact = {
      id,
      name,
      source: options.source ?? null,
      type,
      data: options.data ?? (type === "Container" ? `#/${id}/${name}` : id.toString(16).padStart(40, "0")),
      properties: { ...(options.properties ?? {}) },
      files: new Map(
        entries.map(([path, content]) => [path.replace(/\\/g, "/").replace(/^\/+/, ""), Buffer.from(content)]),
      ),
    };
    const size = [...artifact.files.values()].reduce((n, b) => n + b.length, 0);
    if (artifact.files.size > 0) artifact.properties.artifactsize ??= String(size);
    this.artifacts.set(build.id, [...this.list(build), artifact]);
    return artifact;
  }
}
