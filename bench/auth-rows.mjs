// Auth row for npm run bench: the in-process HTTP row with auth on and one token reused for every call, as real
// clients do: the first request checks the signature, the rest hit the verification cache, and each call passes
// the scope check (tools:echo, not the tools:call shortcut).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const plain = 'mcpctl in-process, HTTP';
const issuer = 'https://issuer.bench/';
const audience = 'mcpctl-bench';

export function authRows({ serveHttp, echo }) {
  let jwksFile;
  return [
    {
      name: `${plain} + auth (reused token)`,
      baseline: plain,
      async setup() {
        const dir = await mkdtemp(join(tmpdir(), 'mcpctl-bench-auth-'));
        const { privateKey, publicKey } = await generateKeyPair('ES256');
        jwksFile = join(dir, 'jwks.json');
        await writeFile(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256' }] }));
        const token = await new SignJWT({ scope: 'tools:echo' })
          .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
          .setIssuer(issuer)
          .setAudience(audience)
          .setSubject('bench')
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(privateKey);
        return { token, cleanup: () => rm(dir, { recursive: true, force: true }) };
      },
      start: () => serveHttp([echo, '--jwks-file', jwksFile, '--issuer', issuer, '--audience', audience]),
      targets: [{ metric: 'cpu', vs: plain, max: 1.05 }],
    },
  ];
}
