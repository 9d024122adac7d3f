import type { Command } from 'commander';
import { collect } from './target-options.js';

interface MintFlags {
  sub: string;
  scope?: string[];
  ttl?: string;
  aud?: string;
  iss?: string;
  json?: boolean;
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('dev tokens signed with the key from "mcpctl keys init"');
  token
    .command('mint')
    .description('print a short-lived JWT signed with the dev key in .mcpctl/, which "serve --dev" accepts')
    .requiredOption('--sub <name>', 'the caller: the token\'s subject (sub)')
    .option('--scope <scopes>', 'space-separated scopes, e.g. "tools:echo resources:read" (repeatable)', collect)
    .option('--ttl <duration>', 'lifetime, e.g. 30s, 5m, 1h (default 5m, at most 24h)')
    .option('--aud <aud>', 'audience (default from .mcpctl/dev.json: accepted by serve --dev on any port)')
    .option('--iss <iss>', 'issuer (default from .mcpctl/dev.json)')
    .option('--json', 'print {"token", "claims"} as JSON')
    .addHelpText(
      'after',
      `
Scopes: tools:call (every tool), tools:<name>, resources:read, resources:<uri>, prompts:get, prompts:<name>,
or any scope mcpctl.json lists under auth.tools / auth.resources / auth.prompts.

Examples:
  $ mcpctl token mint --sub alice --scope tools:echo
  $ TOKEN=$(mcpctl token mint --sub ci --scope "tools:call resources:read" --ttl 1h)
  $ MCPCTL_TOKEN=$(mcpctl token mint --sub alice --scope tools:call) mcpctl serve dist/server.js --dev`,
    )
    .action(async (flags: MintFlags) => {
      const { mintDevTokenWithClaims } = await import('../auth/mint.js');
      const minted = await mintDevTokenWithClaims({ sub: flags.sub, scope: flags.scope?.join(' '), ttl: flags.ttl, aud: flags.aud, iss: flags.iss });
      process.stdout.write(flags.json ? `${JSON.stringify(minted, null, 2)}\n` : `${minted.token}\n`);
    });
}
