import { loadConfig } from '../../src/config.ts';
import { withSessionSecret } from '../../src/web/session-secret.ts';

/** The app as production runs it (view cache on, silent logs), on 127.0.0.1 at `port`. */
export function benchConfig(port: number, extra: Record<string, string> = {}) {
  return withSessionSecret(
    loadConfig({
      NODE_ENV: 'production',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'bench-session-secret-that-is-long-enough-0123456789',
      ...extra,
    }),
  );
}
