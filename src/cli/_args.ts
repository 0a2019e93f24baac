/**
 * A small argument parser: positionals, `--flag value`, `--flag=value`, boolean flags and repeatable flags.
 * Every command declares its flags, so an unknown one is a usage error rather than silently ignored.
 *
 * @module
 */
import { UsageError } from "./_io.ts";

/** The flags one command accepts. */
export interface FlagSpec {
  /** Flags that take a value. */
  strings?: readonly string[];
  /** Flags that take no value. */
  booleans?: readonly string[];
  /** Flags that take a value and may be repeated. */
  multi?: readonly string[];
}

/** Parsed arguments. */
export interface Parsed {
  positionals: string[];
  strings: Map<string, string>;
  booleans: Set<string>;
  multi: Map<string, string[]>;
}

/** The credential and output flags every command understands. */
export const GLOBAL_FLAGS: Required<FlagSpec> = {
  strings: ["app-id", "key", "secret", "cluster", "host", "port", "url", "timeout", "encryption-master-key"],
  booleans: ["json", "help", "no-tls"],
  multi: [],
};

/** Parses `argv` against `spec` plus the global flags; `-h` is `--help`, `--` ends the flags. */
export function parseArgs(argv: readonly string[], spec: FlagSpec, usage: string): Parsed {
  const strings = new Set([...GLOBAL_FLAGS.strings, ...(spec.strings ?? [])]);
  const booleans = new Set([...GLOBAL_FLAGS.booleans, ...(spec.booleans ?? [])]);
  const multi = new Set(spec.multi ?? []);
  const out: Parsed = { positionals: [], strings: new Map(), booleans: new Set(), multi: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-h") {
      out.booleans.add("help");
      continue;
    }
    if (!arg.startsWith("--") || arg === "-") {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (booleans.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`, usage);
      out.booleans.add(name);
      continue;
    }
    if (!strings.has(name) && !multi.has(name)) throw new UsageError(`unknown option --${name}`, usage);
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`, usage);
      value = argv[++i];
    }
    if (multi.has(name)) out.multi.set(name, [...(out.multi.get(name) ?? []), value]);
    else {
      if (out.strings.has(name)) throw new UsageError(`--${name} given twice`, usage);
      out.strings.set(name, value);
    }
  }
  return out;
}

/** Requires exactly `names.length` positionals (or at least `min`), naming what is missing. */
export function positionals(parsed: Parsed, names: readonly string[], usage: string, min = names.length): string[] {
  const got = parsed.positionals;
  if (got.length < min) throw new UsageError(`missing ${names.slice(got.length, min).join(", ")}`, usage);
  if (got.length > names.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(got[names.length])}`, usage);
  }
  return got;
}
