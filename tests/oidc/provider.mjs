// SPDX-License-Identifier: MIT
// A real OpenID Connect provider (oidc-provider, a certified
// implementation) on loopback for doudi's sign-in test, standing in for a
// provincial real-name platform: one confidential client "doudi" that must
// use PKCE, redirecting to doudi's callback, and accounts whose ID token
// carries a resident ID number claim (id_number). The login and consent
// pages are oidc-provider's development interactions.
//
// For the refusals the test checks, GET /test/mode/NAME changes the next
// token replies: "tamper" alters the ID token's payload and keeps its
// signature; "nonce" and "badid" re-sign it with another nonce or an ID
// number with a wrong check digit; "rotate" signs with a second key that
// the key set then lists too; "unknown" signs with a key it never lists;
// "none" is the provider as it is.
//
// usage: node provider.mjs PORTFILE REDIRECT_URI
import { createSign, generateKeyPairSync } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const [portFile, redirectUri] = process.argv.slice(2);

// the test persons: a valid resident ID number (GB 11643-1999, its MOD
// 11-2 check character right), as the platform verified it
const PEOPLE = { 'person-1': '11010519491231002X' };

function rsaKey(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { privateKey, jwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}
const k1 = rsaKey('k1');
const k2 = rsaKey('k2');
const k3 = rsaKey('k3');
const publicJwk = ({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use });

const b64 = (buf) => Buffer.from(buf).toString('base64url');
function resign(token, change, key) {
  const [h, p] = token.split('.');
  const header = { ...JSON.parse(Buffer.from(h, 'base64url')), kid: key.jwk.kid };
  const payload = change(JSON.parse(Buffer.from(p, 'base64url')));
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  const sig = createSign('SHA256').update(input).sign(key.privateKey);
  return `${input}.${b64(sig)}`;
}

let mode = 'none';
let rotated = false;
const changes = {
  tamper: (t) => {
    const [h, p, s] = t.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url'));
    payload.id_number = '110105194912310037';
    return `${h}.${b64(JSON.stringify(payload))}.${s}`;
  },
  nonce: (t) => resign(t, (c) => ({ ...c, nonce: 'another-sign-in' }), k1),
  badid: (t) => resign(t, (c) => ({ ...c, id_number: '110105194912310021' }), k1),
  rotate: (t) => resign(t, (c) => c, k2),
  unknown: (t) => resign(t, (c) => c, k3),
};

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'doudi',
    client_secret: 'Client-Secret-5Rw8tLm2',
    redirect_uris: [redirectUri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  jwks: { keys: [k1.jwk] },
  scopes: ['openid', 'id_number'],
  claims: { openid: ['sub'], id_number: ['id_number'] },
  // the ID number goes in the ID token itself, as the platforms do
  conformIdTokenClaims: false,
  cookies: { keys: ['doudi-oidc-test-cookie-key'] },
  findAccount: (ctx, id) => (PEOPLE[id] ? {
    accountId: id,
    claims: () => ({ sub: id, id_number: PEOPLE[id] }),
  } : undefined),
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && changes[mode]) {
    ctx.body = { ...ctx.body, id_token: changes[mode](ctx.body.id_token) };
  }
  if (ctx.path === '/jwks' && rotated) {
    ctx.body = { keys: [...ctx.body.keys, publicJwk(k2.jwk)] };
  }
});

const callback = provider.callback();
server.on('request', (req, res) => {
  const m = /^\/test\/mode\/([a-z]+)$/.exec(req.url);
  if (!m) {
    callback(req, res);
    return;
  }
  mode = m[1];
  rotated ||= mode === 'rotate';
  res.writeHead(204).end();
});

writeFileSync(`${portFile}.tmp`, String(server.address().port));
renameSync(`${portFile}.tmp`, portFile);
