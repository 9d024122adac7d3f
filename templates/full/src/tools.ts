import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const greetings = { en: 'Hello', fr: 'Bonjour', es: 'Hola' } as const;

export function registerTools(server: McpServer): void {
  server.registerTool(
    'greet',
    {
      title: 'Greet',
      description: 'Greet someone by name, in English, French or Spanish',
      inputSchema: {
        name: z.string().min(1).describe('who to greet'),
        language: z.enum(['en', 'fr', 'es']).default('en').describe('language of the greeting'),
      },
    },
    async ({ name, language }) => ({ content: [{ type: 'text', text: `${greetings[language]}, ${name}!` }] }),
  );

  server.registerTool(
    'add',
    {
      title: 'Add',
      description: 'Add two numbers',
      inputSchema: { a: z.number(), b: z.number() },
      annotations: { readOnlyHint: true },
    },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );

  // Structured output: clients that understand outputSchema read structuredContent; the text copy is for the rest.
  server.registerTool(
    'text_stats',
    {
      title: 'Text statistics',
      description: 'Count the characters, words and lines of a text',
      inputSchema: { text: z.string().describe('the text to measure') },
      outputSchema: { characters: z.number().int(), words: z.number().int(), lines: z.number().int() },
      annotations: { readOnlyHint: true },
    },
    async ({ text }) => {
      const stats = {
        characters: text.length,
        words: text.split(/\s+/).filter(Boolean).length,
        lines: text === '' ? 0 : text.split('\n').length,
      };
      return { content: [{ type: 'text', text: JSON.stringify(stats) }], structuredContent: stats };
    },
  );
}
