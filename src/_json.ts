// Private: event data to JSON text, with the library's errors instead of JSON.stringify's TypeError or undefined.
import { PusherError } from "./errors.ts";

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
