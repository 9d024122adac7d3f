import { resolve } from 'node:path';
import type { InitChoices } from './choices.js';

/** The commands to run after init, each with a short comment, aligned. */
export function nextSteps(choices: InitChoices): string[] {
  const steps: Array<[string, string]> = [];
  if (choices.target !== resolve('.')) steps.push([`cd ${shellQuote(choices.shown)}`, '']);
  if (!choices.install) steps.push(['npm install', '']);
  steps.push(['npm run build', 'src/ → dist/'], ['npm test', 'the project\'s own tests']);
  if (choices.auth) steps.push(['npx mcpctl keys init', 'the local key pair mcpctl.json trusts ("dev": true)']);
  steps.push(['npm start', choices.transport === 'http' ? 'serves http://127.0.0.1:8080/mcp' : 'serves over stdio']);
  const width = Math.max(...steps.map(([command]) => command.length));
  return [...steps.map(([command, comment]) => (comment ? `${command.padEnd(width)}  # ${comment}` : command)), '', 'README.md shows how to connect Claude Desktop, Cursor and the MCP Inspector.'];
}

/** A path as a shell word; one starting with "-" gets a ./ so that cd and npm do not read it as an option. */
export function shellQuote(path: string): string {
  const safe = path.startsWith('-') ? `./${path}` : path;
  return /^[\w@%+=:,./-]+$/.test(safe) ? safe : `'${safe.replaceAll("'", "'\\''")}'`;
}
