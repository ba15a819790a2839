/**
 * What `node` needs before a TypeScript file to run it: nothing where Node.js strips types itself
 * (22.18+, 24 as in CI), else tsx's loader. Through tsx a process spent about 1.4 s more CPU
 * loading the app (3.2 s against 1.8 s on Node 24), and the suite starts a dozen such processes.
 */
export const TYPESCRIPT_LOADER: readonly string[] = process.features.typescript ? [] : ['--import', 'tsx'];
