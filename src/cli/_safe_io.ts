// Private: what the CLI prints passes through here, so text a server sent (channel names, error bodies, user ids)
// cannot drive the terminal: C0/C1 controls (ESC, CSI, BEL…), DEL and bidi overrides are shown escaped.
import type { Io } from "./_io.ts";

// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// The one sequence the CLI itself writes: redrawing a progress line on a terminal.
const REDRAW = "\r\x1b[2K";

/** `text` with every control character but newline and tab written as `\uXXXX` (which keeps JSON output valid JSON). */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The same `Io`, with stdout and stderr escaped (stderr keeps the CLI's own progress redraw). */
export function safeIo(io: Io): Io {
  return {
    ...io,
    stdout: (text) => io.stdout(escapeControls(text)),
    stderr: (text) => io.stderr(text.split(REDRAW).map(escapeControls).join(REDRAW)),
  };
}
