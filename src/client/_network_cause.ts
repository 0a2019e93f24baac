// Names what went wrong below HTTP, so "failed before a response arrived" says where and why. Runtimes report it
// differently: Node puts `code` on `cause` (undici), Bun on the error itself, Deno and workerd only in the message.

// Each cause with the words that tell it apart in Bun's codes and Deno's and workerd's messages.
const CAUSES: [string, RegExp][] = [
  ["ECONNREFUSED", /refused/i],
  ["ENOTFOUND", /notfound|eai_again|dns|lookup|not known/i],
  ["ECONNRESET", /reset|hang up|closed/i],
  ["EHOSTUNREACH", /host ?unreach|no route/i],
  ["ENETUNREACH", /net(work is )?unreach/i],
  ["ETIMEDOUT", /timed? ?out/i],
  ["TLS", /cert|tls|ssl|handshake/i],
];

/** The cause code of a failed `fetch` (ECONNREFUSED, ENOTFOUND, …), or `undefined` when it cannot be told. */
export function networkCauseCode(error: unknown): string | undefined {
  let text = "";
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth++
  ) {
    const { code, message } = e;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
    text += ` ${code} ${message}`;
    e = e.cause as typeof e;
  }
  return CAUSES.find(([, re]) => re.test(text))?.[0];
}
