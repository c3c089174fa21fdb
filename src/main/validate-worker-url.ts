// Where the validation worker thread's entry is: beside the built main bundle (out/main/validate-worker.js), or the sources' tsx entry when main runs from src/ (tests, `npm start` previews).
/** `moduleUrl`: import.meta.url of a module of main (src/main/*.ts, or out/main/*.js once bundled). */
export function validateWorkerUrl(moduleUrl: string): URL {
  if (moduleUrl.endsWith('.ts')) return new URL('../core/validation/validate-worker.mjs', moduleUrl);
  // Bundled: rollup may put shared code in out/main/chunks/; the entry stays at out/main/.
  return new URL(new URL(moduleUrl).pathname.includes('/chunks/') ? '../validate-worker.js' : './validate-worker.js', moduleUrl);
}
