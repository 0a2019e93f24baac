/**
 * The CLI's dispatcher: finds the command, parses its flags, runs it, and turns errors into messages and exit codes
 * (see {@linkcode EXIT}). Runtime-free: everything outside comes through {@linkcode Io}.
 *
 * @module
 */
import { PusherRequestError } from "../client/errors.ts";
import { PusherError } from "../errors.ts";
import { AUTH_COMMANDS } from "./auth.ts";
import { type Command, contextFor } from "./_command.ts";
import { EMULATOR_COMMANDS } from "./emulator.ts";
import { EXIT, type Io, printJson, UsageError } from "./_io.ts";
import { REST_COMMANDS } from "./rest.ts";
import { SIGNING_COMMANDS } from "./signing.ts";
import { VECTORS_COMMANDS } from "./vectors.ts";
import { WS_COMMANDS } from "./ws_command.ts";

/** Every command, in help order. */
export const COMMANDS: readonly Command[] = [
  ...REST_COMMANDS,
  ...SIGNING_COMMANDS,
  ...AUTH_COMMANDS,
  ...EMULATOR_COMMANDS,
  ...VECTORS_COMMANDS,
  ...WS_COMMANDS,
];

const EXIT_HELP = `Exit codes:
  0  success
  1  a check failed: verify / webhook verify rejected the input, or a conformance check failed
  2  usage or input error: unknown command or flag, missing argument or credentials, invalid channel name…
  3  the request failed: the server answered with a non-2xx status, or could not be reached
  4  internal error (a bug: please report it)`;

/** The top-level help. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `pusher-edge: the Pusher Channels HTTP API from the command line, and a conformance runner.

Usage: cli <command> [arguments] [--json] [credentials]
       cli <command> --help

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Credentials come from --url / --app-id --key --secret --cluster --host --port --no-tls, or from the environment
(PUSHER_URL, or PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET, PUSHER_CLUSTER). With none, the local emulator
(deno task start, http://127.0.0.1:8787) is used with its demo credentials. The secret is never printed.

${EXIT_HELP}
`;
}

function find(argv: readonly string[]): { cmd: Command; rest: readonly string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(" ");
    const cmd = COMMANDS.find((c) => c.name === name);
    if (cmd && argv.length >= words) return { cmd, rest: argv.slice(words) };
  }
  return undefined;
}

function groupHelp(prefix: string): string | undefined {
  const sub = COMMANDS.filter((c) => c.name.startsWith(prefix + " "));
  if (sub.length === 0) return undefined;
  return `Usage: cli ${prefix} <${sub.map((c) => c.name.slice(prefix.length + 1)).join("|")}> …\n` +
    sub.map((c) => `  ${c.name}  ${c.summary}`).join("\n") + "\n";
}

function fail(io: Io, json: boolean, code: number, message: string, extra: Record<string, unknown> = {}): number {
  if (json) printJson(io, { ok: false, exitCode: code, error: { message, ...extra } });
  io.stderr(`error: ${message}\n`);
  return code;
}

/**
 * Runs the CLI with `argv` (without the program name) and resolves to the exit code.
 *
 * @param argv the arguments
 * @param io the outside world
 * @returns the exit code
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const json = argv.includes("--json");
  if (argv.length === 0) {
    io.stderr(mainHelp());
    return EXIT.USAGE;
  }
  if (argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    const target = argv[0] === "help" && argv.length > 1 ? find(argv.slice(1)) : undefined;
    io.stdout(target ? target.cmd.help + "\n" : groupHelp(argv.slice(1).join(" ")) ?? mainHelp());
    return EXIT.OK;
  }
  const found = find(argv);
  if (!found) {
    const group = groupHelp(argv[0]);
    if (group) {
      if (argv.length === 1 || argv[1] === "--help" || argv[1] === "-h") {
        io.stdout(group);
        return argv.length === 1 ? EXIT.USAGE : EXIT.OK;
      }
      io.stderr(group);
      return fail(io, json, EXIT.USAGE, `unknown ${argv[0]} command ${JSON.stringify(argv[1])}`);
    }
    io.stderr(mainHelp());
    return fail(io, json, EXIT.USAGE, `unknown command ${JSON.stringify(argv[0])}`);
  }
  const { cmd, rest } = found;
  try {
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(cmd.help + "\n");
      return EXIT.OK;
    }
    const ctx = contextFor(cmd, rest, io);
    return await cmd.run(ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.hint && !json) io.stderr(err.hint + "\n");
      return fail(io, json, EXIT.USAGE, err.message, { code: "USAGE" });
    }
    if (err instanceof PusherRequestError) {
      const extra: Record<string, unknown> = { code: err.code, status: err.status, body: err.body };
      if (err.stringToSign !== undefined) extra.stringToSign = err.stringToSign;
      if (!json && err.stringToSign !== undefined) {
        io.stderr(`the CLI signed: ${JSON.stringify(err.stringToSign)} (check the secret and the server's clock)\n`);
      }
      return fail(io, json, EXIT.REQUEST_FAILED, err.message, extra);
    }
    if (err instanceof PusherError) {
      // ERR_REQUEST_FAILED here means a 2xx with a body that is not JSON: the server is not a Pusher API.
      const code = err.stage === "transport" ? EXIT.REQUEST_FAILED : EXIT.USAGE;
      return fail(io, json, code, `${err.message} (${err.code})`, { code: err.code });
    }
    return fail(io, json, 4, `internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }
}
