// SPDX-License-Identifier: MIT
// Drives a citizen's OpenID Connect sign-in through doudi and the provider
// of provider.mjs as a browser would (cookies kept by hand): doudi's start,
// the provider's login and consent, doudi's callback, then the citizen
// session. Checks the session shows the verified ID number masked; that a
// state is used once, belongs to the browser that started it, survives a
// restart of doudi, and that an unknown state, a changed ID token, another
// nonce, an invalid ID number, another issuer and an unknown key are
// refused by name; that a rotated provider key is fetched again.
//
// usage: node signin.mjs DOUDI_BASE PROVIDER_BASE RESTART_COMMAND
//   RESTART_COMMAND: a shell command that restarts doudi and waits for it
import assert from 'node:assert/strict';
import { exec } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const [doudi, provider, restart] = process.argv.slice(2);
const callbackPrefix = `${doudi}/api/v1/citizen/oidc/callback`;
const jar = new Map(); // the browser's cookies at the provider

function keep(res) {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}
const cookies = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
const cookieOf = (res, name) => {
  for (const c of res.headers.getSetCookie()) {
    if (c.startsWith(`${name}=`)) return c.split(';')[0].slice(name.length + 1);
  }
  return undefined;
};

// doudi's start: the provider's URL and the state cookie
async function start() {
  const r = await fetch(`${doudi}/api/v1/citizen/oidc/start`, { redirect: 'manual' });
  assert.equal(r.status, 302, await r.text());
  const url = new URL(r.headers.get('location'));
  const q = url.searchParams;
  assert.equal(url.origin, provider);
  assert.equal(q.get('response_type'), 'code');
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.match(q.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.match(q.get('nonce'), /^[A-Za-z0-9_-]{43}$/);
  const state = cookieOf(r, 'doudi_oidc');
  assert.equal(state, q.get('state'));
  // the browser's binding: not for scripts, sent back on the provider's
  // cross-site redirect (Lax), only to the callback, over HTTPS only
  const attrs = r.headers.getSetCookie().find((c) => c.startsWith('doudi_oidc='));
  for (const a of ['HttpOnly', 'SameSite=Lax', 'Path=/api/v1/citizen/oidc', 'Secure']) {
    assert.ok(attrs.split('; ').includes(a), `${a} in ${attrs}`);
  }
  return { url: url.href, state };
}

// The provider's pages until it sends the browser to doudi's callback.
async function authorize(url) {
  for (let i = 0; i < 20; i++) {
    const r = await fetch(url, { redirect: 'manual', headers: { cookie: cookies() } });
    keep(r);
    if (r.status >= 300 && r.status < 400) {
      url = new URL(r.headers.get('location'), url).href;
      if (url.startsWith(callbackPrefix)) return url;
      continue;
    }
    const html = await r.text();
    assert.equal(r.status, 200, html);
    const action = new URL(/action="([^"]+)"/.exec(html)[1], url).href;
    const form = html.includes('name="login"')
      ? { prompt: 'login', login: 'person-1', password: 'any' }
      : { prompt: 'consent' };
    const p = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookies(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    keep(p);
    assert.ok(p.status >= 300 && p.status < 400, `${p.status} ${await p.text()}`);
    url = new URL(p.headers.get('location'), action).href;
  }
  throw new Error('the provider never sent the browser back');
}

async function callback(url, state) {
  const headers = state === undefined ? {} : { cookie: `doudi_oidc=${state}` };
  return fetch(url, { redirect: 'manual', headers });
}

async function expectRefused(res, status, code, field) {
  const body = await res.json();
  assert.equal(res.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code);
  assert.equal(body.error.field, field);
  assert.ok(body.error.message_zh.length > 0);
}

async function mode(name) {
  const r = await fetch(`${provider}/test/mode/${name}`);
  assert.equal(r.status, 204);
}

// A whole sign-in that must succeed: the session it opens.
async function signIn() {
  const s = await start();
  const back = await authorize(s.url);
  const r = await callback(back, s.state);
  assert.equal(r.status, 302, await r.text());
  assert.equal(r.headers.get('location'), '/citizen');
  const session = cookieOf(r, 'doudi_session');
  assert.match(session, /^c\./);
  const g = await fetch(`${doudi}/api/v1/citizen/session`, {
    headers: { cookie: `doudi_session=${session}` },
  });
  const body = await g.json();
  assert.equal(g.status, 200, JSON.stringify(body));
  assert.equal(body.citizen.role, 'citizen');
  assert.equal(body.citizen.signed_in_by, 'oidc');
  assert.equal(body.citizen.id_masked, '110105********002X');
  assert.equal(body.citizen.phone_masked, '');
  return back;
}

// a refused sign-in: the callback's reply
async function refusedSignIn(name) {
  await mode(name);
  const s = await start();
  const r = await callback(await authorize(s.url), s.state);
  await mode('none');
  return r;
}

// 1. the whole flow, login and consent included; the state serves once
const used = await signIn();
await expectRefused(await callback(used, new URL(used).searchParams.get('state')),
  400, 'OIDC_STATE_INVALID', 'state');

// 2. a state of another browser, an unknown one, none at all
{
  const s = await start();
  const back = await authorize(s.url);
  await expectRefused(await callback(back), 400, 'OIDC_STATE_MISMATCH', 'state');
  const forged = randomBytes(32).toString('base64url');
  const other = new URL(back);
  other.searchParams.set('state', forged);
  await expectRefused(await callback(other.href, forged), 400, 'OIDC_STATE_INVALID', 'state');
  const none = new URL(back);
  none.searchParams.delete('state');
  await expectRefused(await callback(none.href, s.state), 400, 'MISSING_PARAMETER', 'state');
  // the right browser still signs in with it: refusals did not use it up
  const r = await callback(back, s.state);
  assert.equal(r.status, 302, await r.text());
}

// a callback naming another issuer (RFC 9207: a mix-up of providers)
{
  const s = await start();
  const back = new URL(await authorize(s.url));
  assert.equal(back.searchParams.get('iss'), provider);
  back.searchParams.set('iss', 'http://127.0.0.1:9');
  await expectRefused(await callback(back.href, s.state), 400, 'OIDC_ISSUER_MISMATCH', 'iss');
}

// 3. a sign-in under way survives a restart of doudi
{
  const s = await start();
  const back = await authorize(s.url);
  // not execSync: the event loop must see the old server's connections
  // close, or the next request goes out on one of them
  await promisify(exec)(restart);
  const r = await callback(back, s.state);
  assert.equal(r.status, 302, await r.text());
}
const jwksFetched = Date.now(); // the restarted doudi fetched the keys

// 4. ID tokens doudi must not believe
await expectRefused(await refusedSignIn('tamper'), 401, 'OIDC_TOKEN_INVALID', 'id_token');
await expectRefused(await refusedSignIn('nonce'), 401, 'OIDC_NONCE_MISMATCH', 'nonce');
await expectRefused(await refusedSignIn('badid'), 422, 'OIDC_ID_NUMBER_INVALID', 'id_number');

// 5. a key the provider rotated in is fetched again (once the last fetch
// is OIDC_JWKS_REFRESH_S old), a key it never lists is refused
const wait = 11000 - (Date.now() - jwksFetched);
await new Promise((resolve) => { setTimeout(resolve, Math.max(wait, 0)); });
await mode('rotate');
await signIn();
await expectRefused(await refusedSignIn('unknown'), 401, 'OIDC_TOKEN_INVALID', 'id_token');

console.log('signin: the flow, state, restart, token, nonce, ID and key checks passed');
