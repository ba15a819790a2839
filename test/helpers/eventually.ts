import assert from 'node:assert/strict';

/** Waits for something that happens after the response (event subscribers), up to 5 s (or `timeoutMs`). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`${what} did not happen within ${timeoutMs / 1000} s`);
}
