// Registers benchmark groups with `deno bench`: raw Web Crypto is the baseline of every group, so the output shows
// each implementation's ratio to it.
import type { Group } from "./_cases.ts";

export function register(groups: Group[], ids: readonly string[]): void {
  for (const g of groups.filter((g) => ids.includes(g.id))) {
    for (const c of g.cases) {
      const fn = c.fn;
      Deno.bench({
        name: `${g.id}: ${c.name}`,
        group: g.id,
        baseline: c.impl === "raw",
        // deno bench awaits only an `async function`; a plain function returning a promise would be timed unawaited.
        fn: c.sync ? () => void fn() : async () => void (await fn()),
      });
    }
  }
}
