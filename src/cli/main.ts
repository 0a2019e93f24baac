/**
 * The `pusher-edge` command line: `deno task cli <command> …` (or `deno run -A src/cli/main.ts`, or a binary from
 * `deno compile -A --include vectors/ src/cli/main.ts`). Builds the {@linkcode Io} from Deno and runs {@linkcode run}.
 *
 * @module
 */
import { run } from "./cli.ts";
import type { Io } from "./_io.ts";

const encoder = new TextEncoder();

function write(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = encoder.encode(text);
  let off = 0;
  while (off < bytes.length) off += stream.writeSync(bytes.subarray(off));
}

/** The real outside world. */
export function denoIo(): Io {
  return {
    stdout: (t) => write(Deno.stdout, t),
    stderr: (t) => write(Deno.stderr, t),
    env: Deno.env.toObject(),
    readFile: (path) => Deno.readTextFile(path),
    readStdin: () => new Response(Deno.stdin.readable).text(),
    stderrIsTTY: Deno.stderr.isTerminal(),
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    serve(handler, options) {
      const server = Deno.serve({ ...options }, handler);
      const stop = () => server.shutdown();
      Deno.addSignalListener("SIGINT", stop);
      return Promise.resolve({ finished: server.finished });
    },
  };
}

if (import.meta.main) {
  Deno.exit(await run(Deno.args, denoIo()));
}
