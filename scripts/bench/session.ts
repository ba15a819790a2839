/**
 * A signed-in browser for the benchmarks that measure pages behind sign-in (queue.ts): it signs
 * in through the real form (GET /sign-in for the CSRF token and cookie, POST /sign-in) and keeps
 * the cookies, so the load generator can send the same session cookie with every request.
 * Redirects are not followed: a redirect to the sign-in page must not pass for the page asked for.
 */

export type Answer = { status: number; location: string | null; body: string };

/** The value of the form's `_csrf` field (views/partials/csrf.hbs). */
export function csrfFrom(html: string, page: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`${page} has no form with a CSRF token`);
  return token;
}

export async function signIn(base: string, email: string, password: string) {
  if (!base.startsWith('http://127.0.0.1:')) throw new Error(`refusing to sign in to a non-local target: ${base}`);
  const cookies = new Map<string, string>();
  const cookie = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

  async function request(pathname: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
    const response = await fetch(base + pathname, { ...init, headers: { ...init.headers, cookie: cookie() }, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      if (value) cookies.set(name, value);
      else cookies.delete(name);
    }
    return { status: response.status, location: response.headers.get('location'), body: await response.text() };
  }

  const form = await request('/sign-in');
  if (form.status !== 200) throw new Error(`GET /sign-in answered ${form.status}`);
  const signedIn = await request('/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfFrom(form.body, '/sign-in'), email, password }).toString(),
  });
  // Success redirects away from the form; a refusal re-renders it (400) or sends back to it.
  if (signedIn.status !== 303 || signedIn.location?.startsWith('/sign-in')) throw new Error(`signing in as ${email} failed (${signedIn.status})`);

  return {
    /** The `Cookie` header of the signed-in session (its session and CSRF cookies). */
    cookie,
    request,
  };
}
