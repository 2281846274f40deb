// `npm run bench`: runs each benchmark module in turn and prints its figures (benchmarks are not timed tests).
// `node dist/bench/index.js store` runs only the named ones. A module prints as it goes, or returns its figures.
import { benchApp } from "./app.js";
import { runStoreBench } from "./store.js";

const benches: [name: string, run: () => Promise<Record<string, string> | undefined>][] = [
  ["store", runStoreBench],
  ["app", benchApp],
];

const only = process.argv.slice(2);
for (const [name, run] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`== ${name}`);
  const figures = await run();
  for (const [label, value] of Object.entries(figures ?? {})) console.log(`  ${label}: ${value}`);
}
