/**
 * themes — the theme data the fake host hands the hub, as Azure DevOps does: CSS variables (without
 * "--") that the extension SDK writes on the frame's :root. azure-devops-ui's styles default to the
 * light values, so the dark set is what makes a dark page; neutral palette entries are "r, g, b"
 * triplets because the styles use them inside rgba(), the alpha ones whole colours.
 */
export type ThemeName = "light" | "dark";

const light: Record<string, string> = {
  "background-color": "rgba(255, 255, 255, 1)",
  "text-primary-color": "rgba(0, 0, 0, .9)",
  "text-secondary-color": "rgba(0, 0, 0, .55)",
  "text-disabled-color": "rgba(0, 0, 0, .38)",
  "communication-foreground": "rgba(0, 90, 158, 1)",
  "communication-background": "rgba(0, 120, 212, 1)",
  "text-on-communication-background": "rgba(255, 255, 255, 1)",
  "callout-background-color": "rgba(255, 255, 255, 1)",
  "focus-border-color": "rgba(0, 120, 212, 1)",
  "palette-neutral-0": "255, 255, 255",
  "palette-neutral-2": "248, 248, 248",
  "palette-neutral-4": "244, 244, 244",
  "palette-neutral-6": "239, 239, 239",
  "palette-neutral-8": "234, 234, 234",
  "palette-neutral-10": "218, 218, 218",
  "palette-neutral-20": "200, 200, 200",
  "palette-neutral-30": "166, 166, 166",
  "palette-neutral-60": "102, 102, 102",
  "palette-neutral-70": "51, 51, 51",
  "palette-neutral-80": "30, 30, 30",
  "palette-neutral-100": "0, 0, 0",
  "palette-black-alpha-2": "rgba(0, 0, 0, .02)",
  "palette-black-alpha-4": "rgba(0, 0, 0, .04)",
  "palette-black-alpha-6": "rgba(0, 0, 0, .06)",
  "palette-black-alpha-8": "rgba(0, 0, 0, .08)",
  "palette-black-alpha-10": "rgba(0, 0, 0, .1)",
  "palette-black-alpha-20": "rgba(0, 0, 0, .2)",
  "palette-black-alpha-30": "rgba(0, 0, 0, .3)",
  "palette-black-alpha-60": "rgba(0, 0, 0, .6)",
};

const dark: Record<string, string> = {
  "background-color": "rgba(30, 30, 30, 1)",
  "text-primary-color": "rgba(255, 255, 255, .9)",
  "text-secondary-color": "rgba(255, 255, 255, .6)",
  "text-disabled-color": "rgba(255, 255, 255, .38)",
  "communication-foreground": "rgba(80, 160, 230, 1)",
  "communication-background": "rgba(0, 120, 212, 1)",
  "text-on-communication-background": "rgba(255, 255, 255, 1)",
  "callout-background-color": "rgba(37, 37, 37, 1)",
  "focus-border-color": "rgba(80, 160, 230, 1)",
  "palette-neutral-0": "30, 30, 30",
  "palette-neutral-2": "33, 33, 33",
  "palette-neutral-4": "37, 37, 37",
  "palette-neutral-6": "41, 41, 41",
  "palette-neutral-8": "46, 46, 46",
  "palette-neutral-10": "60, 60, 60",
  "palette-neutral-20": "80, 80, 80",
  "palette-neutral-30": "110, 110, 110",
  "palette-neutral-60": "166, 166, 166",
  "palette-neutral-70": "200, 200, 200",
  "palette-neutral-80": "234, 234, 234",
  "palette-neutral-100": "255, 255, 255",
  "palette-black-alpha-2": "rgba(255, 255, 255, .02)",
  "palette-black-alpha-4": "rgba(255, 255, 255, .04)",
  "palette-black-alpha-6": "rgba(255, 255, 255, .06)",
  "palette-black-alpha-8": "rgba(255, 255, 255, .08)",
  "palette-black-alpha-10": "rgba(255, 255, 255, .1)",
  "palette-black-alpha-20": "rgba(255, 255, 255, .2)",
  "palette-black-alpha-30": "rgba(255, 255, 255, .3)",
  "palette-black-alpha-60": "rgba(255, 255, 255, .6)",
};

export const themes: Record<ThemeName, Record<string, string>> = { light, dark };

/** The theme a page address asks for: `?theme=dark`, else light. */
export function themeOf(search: string): ThemeName {
  return new URLSearchParams(search).get("theme") === "dark" ? "dark" : "light";
}
