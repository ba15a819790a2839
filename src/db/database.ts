import type { Config } from '../config.ts';
import { connectDatabase, disconnectDatabase } from './connection.ts';
import { startEmbeddedDatabase, type EngineWatcher } from './embedded-ferretdb.ts';
import './models.ts';

export type Database = { uri: string; embedded: boolean; close: () => Promise<void> };

/** Connects to MONGODB_URI, or starts the embedded engine on DATA_DIR when it is unset. */
export async function openDatabase(config: Pick<Config, 'mongodbUri' | 'dataDir' | 'embeddedSync'>, watcher?: EngineWatcher): Promise<Database> {
  if (config.mongodbUri) {
    await connectDatabase(config.mongodbUri);
    return { uri: config.mongodbUri, embedded: false, close: disconnectDatabase };
  }
  const engine = await startEmbeddedDatabase({ dataDir: config.dataDir, watcher, sync: config.embeddedSync });
  const uri = engine.uri('cocreate');
  try {
    await connectDatabase(uri);
  } catch (error) {
    await engine.stop();
    throw error;
  }
  return {
    uri,
    embedded: true,
    close: async () => {
      await disconnectDatabase();
      await engine.stop();
    },
  };
}
