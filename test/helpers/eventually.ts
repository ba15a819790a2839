import assert from 'node:assert/strict';

/**
 * Waits for something that happens after the response (event subscribers), up to 20 s (or
 * `timeoutMs`). The bound only ends a wait that would never end: it asserts no speed. At 5 s a
 * judging setup's assignment (the outbox's consumer, on the engine shared by three files) came
 * too late once, at load 25 on 2 cores.
 */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`${what} did not happen within ${timeoutMs / 1000} s`);
}
