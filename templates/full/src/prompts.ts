import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'summarize',
    {
      title: 'Summarize',
      description: 'Ask the model to summarize a text',
      argsSchema: {
        text: z.string().describe('the text to summarize'),
        style: z.enum(['short', 'detailed']).optional().describe('short (one sentence, the default) or detailed'),
      },
    },
    ({ text, style }) => ({
      messages: [
        {
          role: 'user',
          content: { type: 'text', text: `${style === 'detailed' ? 'Summarize in a few paragraphs' : 'Summarize in one sentence'}:\n\n${text}` },
        },
      ],
    }),
  );
}
