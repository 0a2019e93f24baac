// What the entry points print when they cannot start: one line a newcomer can act on, never a stack trace.
// A configuration mistake exits 2 (like a usage error); a port already taken exits 1.

/** A start-up failure the user can fix: the line to print and the exit code. */
export interface StartupFailure {
  message: string;
  exitCode: number;
}

/** `PORT` as a port number (default 8787); a TypeError naming `PORT` for anything else. */
export function listenPort(value: string | undefined): number {
  if (value === undefined || value === "") return 8787;
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 65535) {
    throw new TypeError(`PORT must be a port number from 0 to 65535, got "${value.slice(0, 20)}"`);
  }
  return Number(value);
}

/**
 * Turns what the entry point caught into one line. `TypeError`s thrown while reading the environment or building the
 * app are configuration errors (their messages name the variables); an address in use is reported with `PORT`.
 * Anything else is a bug and is rethrown by the caller (`undefined` here).
 */
export function startupFailure(error: unknown, host: string, port: number): StartupFailure | undefined {
  const e = error as { name?: string; code?: string; message?: string } | undefined;
  if (e?.code === "EADDRINUSE" || e?.name === "AddrInUse" || /address already in use/i.test(e?.message ?? "")) {
    return {
      message: `pusher-edge: port ${port} on ${host} is already in use; set PORT to a free port (e.g. PORT=${
        port === 65535 ? 8788 : port + 1
      }) or stop the other server`,
      exitCode: 1,
    };
  }
  if (e?.code === "EACCES" || e?.name === "PermissionDenied") {
    return { message: `pusher-edge: not allowed to listen on ${host}:${port}; set PORT above 1023`, exitCode: 1 };
  }
  if (error instanceof TypeError) {
    return { message: `pusher-edge: configuration error: ${oneLine(error.message)}`, exitCode: 2 };
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}
