// Names what went wrong below HTTP, so "failed before a response arrived" says where and why. Runtimes report it
// differently: Node puts `code` on `cause` (undici), Bun on the error itself, Deno and workerd only in the message.

const PATTERNS: [RegExp, string][] = [
  [/ECONNREFUSED|connection refused|ConnectionRefused/i, "ECONNREFUSED"],
  [/ENOTFOUND|EAI_AGAIN|dns error|failed to lookup|name or service not known|getaddrinfo|DNSException/i, "ENOTFOUND"],
  [/ECONNRESET|connection reset|ConnectionReset|socket hang up|other side closed/i, "ECONNRESET"],
  [/EHOSTUNREACH|host unreachable|no route to host/i, "EHOSTUNREACH"],
  [/ENETUNREACH|network is unreachable/i, "ENETUNREACH"],
  [/ETIMEDOUT|connect timeout|ConnectTimeout/i, "ETIMEDOUT"],
  [/certificate|CERT_|TLS|SSL|handshake/i, "TLS"],
];

/** The cause code of a failed `fetch` (ECONNREFUSED, ENOTFOUND, …), or `undefined` when it cannot be told. */
export function networkCauseCode(error: unknown): string | undefined {
  const texts: string[] = [];
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code === "EAI_AGAIN" ? "ENOTFOUND" : code;
    if (typeof code === "string") texts.push(code);
    if (typeof message === "string") texts.push(message);
    e = (e as { cause?: unknown }).cause;
  }
  const text = texts.join(" ");
  return PATTERNS.find(([re]) => re.test(text))?.[1];
}

/** `host:port` of a base URL, with the scheme's default port written out. */
export function hostPort(baseURL: string): string {
  const url = new URL(baseURL);
  return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}
