import type { Command } from 'commander';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage the local dev signing key in .mcpctl/ (for serve --dev and token mint)');
  keys
    .command('init')
    .description('write an ES256 key pair and its public JWKS into .mcpctl/ in the working directory')
    .option('--force', 'replace existing keys (tokens signed with the old key stop working)')
    .addHelpText(
      'after',
      `
Writes .mcpctl/signing-key.pem (private, mode 0600), .mcpctl/jwks.json (public) and .mcpctl/dev.json
(issuer and audience of dev tokens). Existing keys are kept unless --force. .mcpctl/ ignores itself in git.

Examples:
  $ mcpctl keys init
  $ mcpctl serve dist/server.js -t http --dev
  $ mcpctl token mint --sub alice --scope tools:echo`,
    )
    .action(async (flags: { force?: boolean }) => {
      const { relative } = await import('node:path');
      const { initDevKeys } = await import('../auth/dev-keys.js');
      const cwd = process.cwd();
      const result = await initDevKeys(cwd, { force: flags.force === true });
      const dir = relative(cwd, result.paths.dir);
      if (!result.created) {
        process.stdout.write(`dev keys already exist in ${dir}/ (key id ${result.kid}); use --force to replace them\n`);
        return;
      }
      process.stdout.write(
        `wrote ${relative(cwd, result.paths.privateKey)} (private, mode 0600), ${relative(cwd, result.paths.jwks)} and ${relative(cwd, result.paths.settings)} (key id ${result.kid})\n` +
          `next: mcpctl serve <server> -t http --dev, then mcpctl token mint --sub alice --scope tools:call\n`,
      );
    });
}
