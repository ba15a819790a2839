import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';

/** The hosts of a MongoDB URI, without credentials or options, in a stable order. */
function hostsOf(uri: string): string {
  const hosts = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri)?.[1] ?? uri;
  return hosts.toLowerCase().split(',').sort().join(',');
}

/**
 * What keeps sites apart on one Redis: every pub/sub channel, socket.io key and rate-limit key
 * starts with it (pub/sub ignores Redis's database index). SITE_KEY when set; otherwise the
 * database's name and a digest of where it lives (MongoDB's hosts, or the embedded engine's data
 * directory), so two sites on different databases never share one, and every process of one site
 * derives the same.
 */
export function siteKeyOf(config: Pick<Config, 'siteKey' | 'mongodbUri' | 'dataDir'>, databaseName: string): string {
  if (config.siteKey) return config.siteKey;
  const where = config.mongodbUri ? hostsOf(config.mongodbUri) : config.dataDir;
  return `${databaseName}-${createHash('sha256').update(`${where}/${databaseName}`).digest('hex').slice(0, 10)}`;
}
