import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('has working defaults for a newcomer', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.env, 'development');
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.equal(config.mongodbUri, undefined);
    assert.equal(config.dataDir, path.resolve('data'));
    assert.equal(config.trustProxy, false);
  });

  it('names every wrong variable in one message', () => {
    assert.throws(
      () => loadConfig({ PORT: 'abc', MONGODB_URI: 'postgres://x', SMTP_URL: 'mail.example.com' }),
      (error: unknown) => error instanceof ConfigError && /PORT:/.test(error.message) && /MONGODB_URI: must start with mongodb/.test(error.message) && /SMTP_URL:/.test(error.message),
    );
  });

  it('requires a session secret in production', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /SESSION_SECRET: required in production/);
    assert.throws(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' }), /at least 32 characters/);
  });

  it('reads trust proxy as a boolean, a hop count or a list', () => {
    assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.1' }).trustProxy, 'loopback, 10.0.0.1');
  });

  it('accepts only a power of two as the password hash cost', () => {
    assert.equal(loadConfig({ PASSWORD_HASH_COST: '65536' }).passwordHashCost, 65536);
    assert.throws(() => loadConfig({ PASSWORD_HASH_COST: '50000' }), /power of two/);
  });

  it('drops a trailing slash from the public URL', () => {
    assert.equal(loadConfig({ PUBLIC_URL: 'https://ideas.example.com/' }).publicUrl, 'https://ideas.example.com');
  });
});
