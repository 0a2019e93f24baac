/**
 * The shape of a CLI command and the helpers commands share.
 *
 * @module
 */
import type { Pusher } from "../client/pusher.ts";
import { type FlagSpec, parseArgs, type Parsed } from "./_args.ts";
import { needClient, needKeySecret, noteDemo, resolveTarget, type Target } from "./_creds.ts";
import type { Io } from "./_io.ts";

/** What a command gets besides its arguments. */
export class Context {
  readonly io: Io;
  readonly parsed: Parsed;
  readonly json: boolean;
  #target: Target | undefined;

  constructor(io: Io, parsed: Parsed) {
    this.io = io;
    this.parsed = parsed;
    this.json = parsed.booleans.has("json");
  }

  /** The resolved target (flags, then env, then the local emulator). */
  target(): Target {
    if (!this.#target) {
      this.#target = resolveTarget(this.parsed, this.io.env);
      if (!this.json) noteDemo(this.io, this.#target);
    }
    return this.#target;
  }

  /** A REST client for the target. */
  client(): Pusher {
    return needClient(this.target(), this.io, this.parsed.strings.get("timeout"));
  }

  /** Key and secret for offline commands. */
  keySecret(): { key: string; secret: string } {
    return needKeySecret(this.target());
  }

  /** A flag's value. */
  flag(name: string): string | undefined {
    return this.parsed.strings.get(name);
  }

  /** Whether a boolean flag is set. */
  has(name: string): boolean {
    return this.parsed.booleans.has(name);
  }

  /** Writes to stdout. */
  out(text: string): void {
    this.io.stdout(text);
  }
}

/** One command (or sub-command). */
export interface Command {
  /** `trigger`, `auth channel`, … */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text (usage line first). */
  help: string;
  /** Its own flags (the global ones are always accepted). */
  flags: FlagSpec;
  /** Runs it; resolves to the exit code. */
  run(ctx: Context): Promise<number>;
}

/** Parses `argv` for `cmd` and builds its context. */
export function contextFor(cmd: Command, argv: readonly string[], io: Io): Context {
  return new Context(io, parseArgs(argv, cmd.flags, usageLine(cmd)));
}

/** The first line of a command's help. */
export function usageLine(cmd: Command): string {
  return cmd.help.split("\n")[0];
}

/** The credential flags, for help texts. */
export const CREDENTIAL_HELP = `Credentials (flags override the environment):
  --url URL            http(s)://KEY:SECRET@HOST[:PORT]/apps/APP_ID   (env PUSHER_URL)
  --app-id ID --key KEY --secret SECRET                               (env PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET)
  --secret -           read the secret from stdin (a flag's value shows in ps; so does a URL's)
  --cluster C | --host H [--port P] [--no-tls]                        (env PUSHER_CLUSTER, PUSHER_HOST, PUSHER_PORT, PUSHER_USE_TLS)
  --encryption-master-key B64   for private-encrypted-* channels (env PUSHER_ENCRYPTION_MASTER_KEY_BASE64)
  With none of these, the local emulator is used: http://127.0.0.1:8787 (or PORT), app 1, its demo key and secret.
Output:
  --json               one JSON document on stdout (errors too), for scripts
  --timeout MS         per-request timeout (default 30000)`;
