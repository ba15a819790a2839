/**
 * What `node` needs before a TypeScript file to run it: nothing where Node.js strips types itself
 * (22.18+, 24 as in CI; the sources are erasable syntax only, so what runs is what tsc emits),
 * else tsx's loader. Through tsx a process spent about 1.4 s more CPU loading the app (3.2 s
 * against 1.8 s on Node 24), and the test suite starts a process per file and a dozen servers; and
 * the app kept about 25 MB more heap alive under load (tsx's transformed sources and their source
 * maps), which every full garbage collection marks, so the benches measure the app without it, as
 * a deployment runs the build.
 */
export const TYPESCRIPT_LOADER: readonly string[] = process.features.typescript ? [] : ['--import', import.meta.resolve('tsx')];
