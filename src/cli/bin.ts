#!/usr/bin/env node
/**
 * The `pusher-edge` bin of the npm package: builds the CLI's {@linkcode Io} from Node's `process` and runs
 * {@linkcode run}. `main.ts` is the Deno entry; this one must not mention the Deno namespace, because
 * scripts/build_npm.ts only ships a bin whose source does not.
 *
 * Why `globalThis.process` and `process.getBuiltinModule` (Node >= 20.16) instead of importing Node modules: src/ stays
 * free of Node-only imports and of Node's types, so the same tree type-checks and publishes for Deno, JSR and the
 * edge runtimes. `serve` is left out: the emulator needs Deno (`emulator` says so).
 *
 * @module
 */
import { run } from "./cli.ts";
import type { Io } from "./_io.ts";

/** The few parts of Node's `process` this file uses (declared here so no Node types are needed). */
interface NodeProcess {
  argv: string[];
  env: Record<string, string | undefined>;
  exitCode?: number;
  stdout: { write(text: string): boolean };
  stderr: { write(text: string): boolean; isTTY?: boolean };
  stdin: AsyncIterable<Uint8Array | string>;
  getBuiltinModule?(id: "fs"): { promises: { readFile(path: string | URL, encoding: "utf8"): Promise<string> } };
}

const proc = (globalThis as unknown as { process: NodeProcess }).process;

async function readFile(path: string | URL): Promise<string> {
  const fs = proc.getBuiltinModule?.("fs");
  if (!fs) throw new Error("reading files needs Node >= 20.16 (process.getBuiltinModule)");
  return await fs.promises.readFile(path, "utf8");
}

async function readStdin(): Promise<string> {
  // A streaming decoder, so a multi-byte character split across chunks is not mangled.
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of proc.stdin) {
    text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** Node 22 has a global WebSocket; Node 20 has it only behind a flag. `conformance` needs one, so install `ws`'s. */
async function ensureWebSocket(): Promise<void> {
  if (typeof (globalThis as { WebSocket?: unknown }).WebSocket !== "undefined") return;
  // @ts-ignore: ws ships no types (Deno infers any, tsc under types: [] refuses); only the class is passed on.
  const { WebSocket } = await import("ws");
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
}

const io: Io = {
  stdout: (t) => void proc.stdout.write(t),
  stderr: (t) => void proc.stderr.write(t),
  env: proc.env,
  readFile,
  readStdin,
  stderrIsTTY: proc.stderr.isTTY === true,
  fetch: (input, init) => fetch(input, init),
  now: () => Date.now(),
};

if (proc.argv[2] === "conformance") await ensureWebSocket();
// exitCode, not exit(): Node then flushes piped stdout before it ends.
proc.exitCode = await run(proc.argv.slice(2), io);
