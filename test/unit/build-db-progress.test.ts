import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

// A stand-in for Go: it "downloads" a module holding just the lines the five fixes change, and
// "compiles" for two seconds. The script's own steps, checks and progress lines run for real.
const FAKE_GO = `#!/usr/bin/env bash
case "$1" in
  env) echo go1.24.0 ;;
  mod) printf '{\\n\\t"Dir": "%s",\\n}\\n' "$FAKE_MODULE" ;;
  build) sleep 2; printf '#!/bin/sh\\n' > "$4"; chmod +x "$4" ;;
esac
`;

async function fakeModule(dir: string): Promise<void> {
  const file = async (relative: string, text: string) => {
    await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
    await writeFile(path.join(dir, relative), text);
  };
  await mkdir(path.join(dir, 'build/version'), { recursive: true });
  await file('internal/backends/sqlite/metadata/metadata.go', `IDColumn = DefaultColumn + "->'$._id'"\n`);
  await file('internal/backends/sqlite/collection.go', 'if params.Filter.Len() == 1 {\n\t\tswitch v.(type) {\n}\nif params.Filter.Len() == 1 {\n\t\tswitch v.(type) {\n}\n');
  for (const [name, method] of [
    ['update', 'Update'],
    ['findandmodify', 'FindAndModify'],
    ['delete', 'Delete'],
    ['insert', 'Insert'],
  ]) {
    await file(`internal/handler/msg_${name}.go`, `func (h *Handler) Msg${method}(connCtx context.Context, msg *wire.OpMsg) (*wire.OpMsg, error) {\n}\n`);
  }
  await file('internal/util/resource/resource.go', 'func Track(obj any, token *Token) {\n}\nfunc Untrack(obj any, token *Token) {\n}\n');
}

describe('building the embedded database engine', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cocreate-build-'));
    await mkdir(path.join(dir, 'bin'));
    await writeFile(path.join(dir, 'bin/go'), FAKE_GO);
    await chmod(path.join(dir, 'bin/go'), 0o755);
    await fakeModule(path.join(dir, 'module'));
    env = { ...process.env, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, FAKE_MODULE: path.join(dir, 'module'), COCREATE_CACHE_DIR: path.join(dir, 'cache') };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('says what it does, step by step, with a progress line and the expected time while it compiles', async () => {
    const { stdout, stderr } = await run('bash', ['scripts/build-ferretdb.sh'], { env });
    const binary = path.join(dir, 'cache/ferretdb-v1.24.2-fix5/ferretdb');
    assert.equal(stdout.trim(), binary);
    const lines = stderr.trim().split('\n');
    assert.match(lines[0]!, /^build-ferretdb: building the embedded database engine .*about 3 minutes, once per machine/);
    assert.match(stderr, /\[1\/3\] downloading the FerretDB v1\.24\.2 source/);
    assert.match(stderr, /\[2\/3\] applying the five fixes/);
    assert.match(stderr, /\[3\/3\] compiling \(about 150 s on 2 cores\)/);
    assert.match(stderr, /^build-ferretdb: +\[ {20}\] 0 s of about 150 s$/m);
    assert.match(lines.at(-1)!, new RegExp(`^build-ferretdb: built in \\d+ s: ${binary}$`));
  });

  it('prints nothing more once the engine is cached', async () => {
    const { stderr } = await run('bash', ['scripts/build-ferretdb.sh'], { env });
    assert.equal(stderr, '');
  });
});
