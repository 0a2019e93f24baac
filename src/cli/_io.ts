/**
 * What the CLI commands may touch outside themselves: output streams, the environment, files, stdin, `fetch`, the
 * clock and (for `emulator`) a way to serve HTTP. `main.ts` builds it from `Deno`; tests pass a fake.
 *
 * @module
 */

/** The outside world, injected so the commands stay testable. */
export interface Io {
  /** Writes `text` to stdout as is (add your own newline). */
  stdout(text: string): void;
  /** Writes `text` to stderr as is. */
  stderr(text: string): void;
  /** The environment variables. */
  env: Readonly<Record<string, string | undefined>>;
  /** Reads a UTF-8 file (a path, or a `file:` URL). */
  readFile(path: string | URL): Promise<string>;
  /** Reads all of stdin as UTF-8. */
  readStdin(): Promise<string>;
  /** Whether stderr is a terminal (progress lines are redrawn with `\r` then). */
  stderrIsTTY: boolean;
  /** The `fetch` used for every request. */
  fetch: typeof fetch;
  /** The clock, in Unix milliseconds. */
  now(): number;
  /** Serves `handler` until the process is stopped (for `emulator`); resolves once listening. */
  serve?(
    handler: (req: Request) => Response | Promise<Response>,
    options: { hostname: string; port: number; onListen(addr: { hostname: string; port: number }): void },
  ): Promise<{ finished: Promise<void> }>;
}

/** The CLI's exit codes. */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** A check failed: a signature or webhook did not verify, or a conformance check failed. */
  CHECK_FAILED: 1,
  /** Bad usage or bad input: unknown flag, missing argument or credentials, invalid channel name… */
  USAGE: 2,
  /** The request failed: the server answered with a non-2xx status, or it could not be reached. */
  REQUEST_FAILED: 3,
} as const;

/** Thrown for bad usage or input; `run()` prints it and exits with {@linkcode EXIT.USAGE}. */
export class UsageError extends Error {
  /** Shown after the message, e.g. the command's usage line. */
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = "UsageError";
    this.hint = hint;
  }
}

/** Reads an argument given as a literal, `@file` or `-` (stdin). */
export async function readValue(io: Io, value: string, what: string): Promise<string> {
  if (value === "-") return await io.readStdin();
  if (value.startsWith("@")) {
    const path = value.slice(1);
    try {
      return await io.readFile(path);
    } catch (err) {
      throw new UsageError(`cannot read ${what} from ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return value;
}

/** Prints `value` as one line of JSON on stdout. */
export function printJson(io: Io, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + "\n");
}

/** Aligned `label  value` lines. */
export function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n";
}
