import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config, ServingConfig } from '../config.ts';

const SECRET_FILE = 'session-secret';

/**
 * SESSION_SECRET, or outside production (where it is required) a random secret made on first
 * start and kept in DATA_DIR, readable by this user only: sessions survive restarts, and no two
 * installations share a secret anyone could read in our source.
 */
export async function withSessionSecret(config: Config): Promise<ServingConfig> {
  if (config.sessionSecret) return { ...config, sessionSecret: config.sessionSecret };
  const file = path.join(config.dataDir, SECRET_FILE);
  const kept = await readKept(file);
  if (kept) return { ...config, sessionSecret: kept };
  await mkdir(config.dataDir, { recursive: true });
  try {
    await writeFile(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process (`npm run seed` beside `npm start`) made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const made = await readKept(file);
  if (!made) throw new Error(`could not read the session secret kept in ${file}`);
  return { ...config, sessionSecret: made };
}

async function readKept(file: string): Promise<string | undefined> {
  try {
    const secret = (await readFile(file, 'utf8')).trim();
    return secret.length >= 32 ? secret : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
