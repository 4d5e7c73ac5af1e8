/**
 * cli-logger — the engine's Logger for a terminal: messages on stderr, a progress bar when stderr
 * is a terminal and plain lines otherwise; --verbose shows debug lines. Messages may carry tenant
 * text: each passes through safeText(); only the bar's own control codes (\r, ESC[2K) reach the terminal.
 */
import { type Logger, safeText } from "../core/logger";

export function createCliLogger(options: { verbose?: boolean; stream?: NodeJS.WriteStream } = {}): Logger {
  const out = options.stream ?? process.stderr;
  const tty = Boolean(out.isTTY);
  let barShown = false;
  let lastPlain = "";
  const clearBar = () => {
    if (barShown) out.write("\r\x1b[2K");
    barShown = false;
  };
  const line = (text: string) => {
    clearBar();
    out.write(`${safeText(text)}\n`);
  };
  return {
    info: (m) => line(m),
    warn: (m, object) => line(`warning: ${m}${object ? ` (${object})` : ""}`),
    error: (m, object) => line(`error: ${m}${object ? ` (${object})` : ""}`),
    debug: (m) => {
      if (options.verbose) line(`  ${m}`);
    },
    progress: (untrustedStep, done, total) => {
      const step = safeText(untrustedStep);
      if (tty) {
        const width = 30;
        const filled = total > 0 ? Math.round((done / total) * width) : 0;
        out.write(`\r\x1b[2K${step} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
        barShown = true;
        if (done >= total) clearBar();
      } else {
        const text = `${step}: ${done}/${total}`;
        if (text !== lastPlain && (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0))
          out.write(`${text}\n`);
        lastPlain = text;
      }
    },
  };
}
