// The baseline for `mcpctl call`: a bare SDK client doing the same thing, as someone would write it by hand —
// spawn the stdio server, initialize, call one tool, print its text, close.
//   node bench/clients/sdk-call.mjs <tool> <json arguments> -- <server command…>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const [tool, args, dash, command, ...commandArgs] = process.argv.slice(2);
if (dash !== '--' || !command) throw new Error('usage: sdk-call.mjs <tool> <json arguments> -- <server command…>');
const client = new Client({ name: 'bare-sdk', version: '1.0.0' });
await client.connect(new StdioClientTransport({ command, args: commandArgs }));
const result = await client.callTool({ name: tool, arguments: JSON.parse(args) });
console.log(result.content.map((block) => block.text).join('\n'));
await client.close();
