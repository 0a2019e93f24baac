// Aliases for the Hono types used in this subpath's signatures. They are plain aliases of the `hono` package's own
// types (so any Hono app, context or handler fits), hidden from the generated docs with @ignore because the docs of
// an npm package cannot be re-published here.
import type { Context, Env, Handler, Hono, MiddlewareHandler } from "hono";

/**
 * Hono's `Context`.
 * @ignore
 */
export type HonoContext = Context;

/**
 * Hono's `Handler`.
 * @ignore
 */
export type HonoHandler = Handler;

/**
 * Hono's `MiddlewareHandler` for an environment `E`.
 * @ignore
 */
export type HonoMiddleware<E extends Env> = MiddlewareHandler<E>;

/**
 * A Hono app.
 * @ignore
 */
export type HonoApp = Hono;
