/**
 * format — how the hub's views write times, durations, plan counts and countdowns. Pure and
 * deterministic (the time "now" is always passed in), so the views render the same text in tests and
 * in the browser, and every figure has a spoken form for screen readers beside its compact one.
 */

/** "just now", "5 min ago", "in 3 h": coarse on purpose; the exact time goes in the title. */
export function relativeTime(iso: string | undefined, now: number): string {
  const at = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(at)) return "—";
  const seconds = Math.round((now - at) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  if (s < 45) return future ? "in a moment" : "just now";
  const [value, unit] =
    s < 3600
      ? [Math.max(1, Math.round(s / 60)), "min"]
      : s < 86_400
        ? [Math.round(s / 3600), "h"]
        : [Math.round(s / 86_400), Math.round(s / 86_400) === 1 ? "day" : "days"];
  return future ? `in ${value} ${unit}` : `${value} ${unit} ago`;
}

/** The exact time, in UTC so it reads the same for everyone looking at one tenant ("2024-05-01 09:30:00 UTC"). */
export function exactTime(iso: string | undefined): string {
  const at = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(at)) return "";
  return `${new Date(at).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "45 s", "3 min 12 s", "1 h 05 min". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes} min ${String(total % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

export interface Counts {
  add: number;
  change: number;
  delete: number;
}

/** The compact form shown in the table: "+2 ~1 −0". */
export const countsText = (c: Counts) => `+${c.add} ~${c.change} −${c.delete}`;

/** The spoken form: "2 to add, 1 to change, 0 to delete". */
export const countsLabel = (c: Counts) => `${c.add} to add, ${c.change} to change, ${c.delete} to delete`;

/** Time left until `expiresAt` as m:ss (h:mm:ss past an hour), or undefined once it passed. */
export function countdown(expiresAt: string, now: number): string | undefined {
  const left = Math.floor((Date.parse(expiresAt) - now) / 1000);
  if (!Number.isFinite(left) || left <= 0) return undefined;
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = String(left % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Values of a plan's field change, as text: JSON for objects, "(none)" when absent. */
export function fieldValue(value: unknown): string {
  if (value === undefined) return "(none)";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** "1 change" / "3 changes". */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
