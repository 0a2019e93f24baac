/**
 * The library version: the one place the client reads it from. `tests/client_config_test.ts` fails when it
 * differs from `deno.json`'s `version` (a JSON import would break the plain-`tsc` npm build).
 *
 * @module
 */

/** The package version, e.g. `0.1.0`. */
export const VERSION = "0.1.0";

/** The `X-Pusher-Library` header value sent with every request. */
export const LIBRARY_HEADER: string = `pusher-edge ${VERSION}`;
