/**
 * A worker's source that registers tsx, then loads the TypeScript module at `entry`: unbundled (tests, benches)
 * a worker thread loads TypeScript only once tsx is registered in it, and a parent's `--import tsx` does not
 * carry over. Under Next the bundler's own chunk for the entry is used instead.
 */
export const withTsx = (entry: URL) =>
  `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
