// Private: JSON with the library's errors instead of JSON.parse's SyntaxError or JSON.stringify's TypeError or undefined.
import { PusherError, type PusherErrorCode } from "./errors.ts";

export function stringifyData(data: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch (cause) {
    throw new PusherError("ERR_INVALID_PARAM", "event data could not be serialised with JSON.stringify", { cause });
  }
  if (json === undefined) throw new PusherError("ERR_INVALID_PARAM", "event data must not be undefined");
  return json;
}

/** JSON text as given (parsed to check it) or a value serialised: the exact text to sign, and the value. */
export function jsonText(value: unknown, code: PusherErrorCode, name: string): [string, unknown] {
  try {
    return typeof value === "string" ? [value, JSON.parse(value)] : [JSON.stringify(value), value];
  } catch {
    throw new PusherError(code, `${name} must be JSON text or a JSON-serialisable object`);
  }
}
