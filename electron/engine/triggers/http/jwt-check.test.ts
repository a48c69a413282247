import { expect, test } from 'vitest';
import type { JwtAuthorizer } from './authorizer-config.ts';
import { checkJwt } from './jwt-check.ts';

const NOW = Date.UTC(2026, 0, 1);
const config: JwtAuthorizer = { kind: 'jwt', api: 'http', name: 'Jwt', identitySource: { in: 'header', name: 'Authorization' }, issuers: ['https://issuer.example'], audience: ['app'], scopes: [] };
const token = (claims: Record<string, unknown>, alg = 'RS256') =>
  `Bearer ${Buffer.from(JSON.stringify({ alg })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const claims = { iss: 'https://issuer.example', aud: 'app', exp: NOW / 1000 + 60, sub: 'u', groups: ['a', 'b'], admin: true };

test('a valid token passes its claims as text and its scopes', () => {
  expect(checkJwt(token({ ...claims, scope: 'read write' }), config, ['read'], NOW)).toEqual({
    kind: 'allow',
    claims: { iss: 'https://issuer.example', aud: 'app', exp: String(NOW / 1000 + 60), sub: 'u', groups: '[a b]', admin: 'true', scope: 'read write' },
    scopes: ['read', 'write'],
  });
  expect(checkJwt(token({ ...claims, aud: 'other', client_id: 'app' }), config, [], NOW).kind).toBe('allow');
});

test.each([
  ['expired', token({ ...claims, exp: NOW / 1000 })],
  ['not yet valid', token({ ...claims, nbf: NOW / 1000 + 10 })],
  ['another issuer', token({ ...claims, iss: 'https://elsewhere' })],
  ['another audience', token({ ...claims, aud: 'nope' })],
  ['without exp', token({ iss: claims.iss, aud: 'app' })],
  ['unsigned', token(claims, 'none')],
  ['not a JWT', 'Bearer abc.def'],
  ['missing', undefined],
])('%s is unauthorized', (_what, value) => {
  expect(checkJwt(value, config, [], NOW).kind).toBe('unauthorized');
});

test('a token without one of the route\'s scopes is forbidden', () => {
  expect(checkJwt(token({ ...claims, scp: ['read'] }), config, ['write', 'admin'], NOW).kind).toBe('forbidden');
});
