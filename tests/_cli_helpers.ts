// Shared by the tests/cli_*_test.ts files: an in-memory Io and an emulator on a loopback port.
import { createApp } from "../src/hono/mod.ts";
import { run } from "../src/cli/cli.ts";
import type { Io } from "../src/cli/_io.ts";

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json(): Record<string, unknown>;
}

export interface FakeIoOptions {
  env?: Record<string, string>;
  files?: Record<string, string>;
  stdin?: string;
  tty?: boolean;
  now?: number;
  fetch?: typeof fetch;
  /** Read files missing from `files` from disk. */
  realFiles?: boolean;
}

export function fakeIo(options: FakeIoOptions = {}): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: options.env ?? {},
    readFile: (path) => {
      const text = options.files?.[String(path)];
      if (text === undefined && options.realFiles) return Deno.readTextFile(path);
      return text === undefined ? Promise.reject(new Error(`no such file ${path}`)) : Promise.resolve(text);
    },
    readStdin: () => Promise.resolve(options.stdin ?? ""),
    stderrIsTTY: options.tty ?? false,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    now: () => options.now ?? Date.now(),
  };
}

/** Runs the CLI in-process. */
export async function cli(argv: string[], options: FakeIoOptions = {}): Promise<Captured> {
  const io = fakeIo(options);
  const code = await run(argv, io);
  const stdout = io.out.join("");
  return { code, stdout, stderr: io.err.join(""), json: () => JSON.parse(stdout) };
}

export interface Emulator {
  origin: string;
  /** PUSHER_URL for the emulator's demo app. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the standalone app (emulator with demo credentials) on 127.0.0.1 and a free port. */
export function startEmulator(): Promise<Emulator> {
  const app = createApp({});
  return new Promise((resolve) => {
    const server = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      onListen: ({ port }) => {
        const origin = `http://127.0.0.1:${port}`;
        resolve({
          origin,
          env: { PUSHER_URL: `http://emulator-key:emulator-secret@127.0.0.1:${port}/apps/1` },
          close: () => server.shutdown(),
        });
      },
    }, app.fetch);
  });
}
