import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/shared/actor.ts';
import { hashPassword } from '../../src/features/accounts/passwords.ts';
import { User } from '../../src/features/accounts/user.model.ts';
import { csrfFrom, TestClient } from './http.ts';

export const TEST_PASSWORD = 'Velvet-Canyon-Orbit-73';

/** A confirmed user with the given roles and a unique address. */
export async function createUser(options: { roles?: Role[]; name?: string; email?: string; password?: string } = {}) {
  const email = options.email ?? `user-${randomBytes(5).toString('hex')}@example.test`;
  const user = await User.create({
    email,
    name: options.name ?? 'Test User',
    passwordHash: await hashPassword(options.password ?? TEST_PASSWORD, 1024),
    roles: ['member', ...(options.roles ?? [])],
    emailVerifiedAt: new Date(),
  });
  return { id: String(user._id), email, password: options.password ?? TEST_PASSWORD, name: user.name };
}

/** A client signed in as the user. */
export async function signedInClient(baseUrl: string, user: { email: string; password: string }) {
  const client = new TestClient(baseUrl);
  const response = await client.submit('/sign-in', '/sign-in', { email: user.email, password: user.password });
  if (response.status !== 303) throw new Error(`sign-in failed with ${response.status}`);
  return client;
}

/** Uploads a profile photo from the account page, as its form does: multipart, with the page's CSRF token. */
export async function uploadPhoto(client: TestClient, bytes: Buffer, filename = 'me.png') {
  const form = new FormData();
  form.append('_csrf', csrfFrom((await client.get('/account')).body_));
  form.append('photo', new Blob([new Uint8Array(bytes)]), filename);
  return client.request('/account/photo', { method: 'POST', body: form });
}
