/**
 * zip — reads the files of a zip archive in the browser (an artifact download), with no package:
 * the central directory names the entries, each is stored or deflated, and the platform's
 * DecompressionStream("deflate-raw") inflates. Enough for the archives Azure DevOps serves (no
 * encryption, no multi-disk, no zip64).
 */

export interface ZipEntry {
  name: string;
  /** The entry's bytes, inflated. */
  read(): Promise<Uint8Array>;
}

const endOfDirectory = 0x06054b50;
const directoryEntry = 0x02014b50;
const localHeader = 0x04034b50;

function corrupt(what: string): Error {
  return new Error(`The downloaded archive is not a readable zip file (${what}): download it again.`);
}

async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The archive's file entries (folders left out), in the order of its directory. */
export function readZip(buffer: ArrayBuffer | Uint8Array): ZipEntry[] {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  // The end record is at least 22 bytes from the end, followed by a comment of up to 64 KiB.
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--)
    if (view.getUint32(i, true) === endOfDirectory) {
      end = i;
      break;
    }
  if (end < 0) throw corrupt("no end of central directory");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== directoryEntry) throw corrupt(`entry ${n + 1}`);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const offset = view.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/")) continue;
    if (method !== 0 && method !== 8) throw corrupt(`${name} uses compression method ${method}`);
    entries.push({
      name,
      async read() {
        if (view.getUint32(offset, true) !== localHeader) throw corrupt(`${name} has no local header`);
        const start = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
        const data = bytes.subarray(start, start + compressedSize);
        return method === 0 ? data.slice() : inflate(data);
      },
    });
  }
  return entries;
}

/** The text of the first entry whose name ends with `suffix` ("/plan.json"), or undefined. */
export async function readZipText(buffer: ArrayBuffer | Uint8Array, suffix: string): Promise<string | undefined> {
  const entry = readZip(buffer).find((e) => e.name === suffix.replace(/^\//, "") || e.name.endsWith(suffix));
  return entry ? new TextDecoder().decode(await entry.read()) : undefined;
}
