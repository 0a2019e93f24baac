// The start-up message the entry points print: URL, mode, credentials (demo only) and a sample command.
import type { AppOptions } from "./config.ts";
import { DEMO_CREDENTIALS } from "./config.ts";
import { sampleCurl } from "./emulator/page.ts";

export function banner(options: AppOptions, origin: string): string {
  const emulator = options.emulator ?? options.credentials === undefined;
  const creds = options.credentials ?? DEMO_CREDENTIALS;
  const lines = [`pusher-edge ${emulator ? "emulator" : "auth/webhook server"} listening on ${origin}`];
  if (emulator) {
    lines.push(`  debug page:  ${origin}/`);
    const host = new URL(origin).hostname;
    if (!/^(localhost|127\.[0-9.]+|\[::1\])$/.test(host) && !options.emulatorHosts) {
      lines.push(
        "  note: the emulator answers loopback host names only (localhost, 127.0.0.1, [::1]); to reach it by another",
        "        name or address, list it in PUSHER_EMULATOR_HOSTS",
      );
    }
    lines.push(
      `  websocket:   ${origin.replace(/^http/, "ws")}/app/${creds.key}?protocol=7 ` +
        `(pusher-js: wsHost, wsPort, forceTLS: false)`,
    );
    if (options.credentials === undefined) {
      lines.push(
        "  demo credentials (no PUSHER_URL / PUSHER_APP_ID set; never use them in production):",
        `    app id ${creds.appId}   key ${creds.key}   secret ${creds.secret}`,
        `    encryption master key (base64) ${DEMO_CREDENTIALS.encryptionMasterKey}`,
        `    PUSHER_URL=http://${creds.key}:${creds.secret}@${origin.replace(/^https?:\/\//, "")}/apps/${creds.appId}`,
        "  send a signed event (bash, openssl, md5sum, curl):",
        ...sampleCurl({ ...creds }, origin).split("\n").map((l) => `    ${l}`),
      );
    } else {
      lines.push(`  app id ${creds.appId}, key ${creds.key} (secret from the environment)`);
    }
  }
  lines.push(
    `  auth endpoints: POST ${origin}/pusher/auth, POST ${origin}/pusher/user-auth (${
      options.jwtSecret ? "bearer JWT policy" : "refusing: set PUSHER_AUTH_JWT_SECRET"
    })`,
    `  webhooks:       POST ${origin}/pusher/webhook`,
  );
  return lines.join("\n");
}
