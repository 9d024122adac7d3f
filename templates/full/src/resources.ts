import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

const docs: Record<string, string> = {
  tools: 'greet, add and text_stats: call them with tools/call.',
  resources: 'info://about is fixed; docs://{topic} is a template with one resource per topic.',
  prompts: 'summarize turns a text into a request to summarize it.',
};

export function registerResources(server: McpServer): void {
  // A static resource: one fixed URI.
  server.registerResource(
    'about',
    'info://about',
    { title: 'About this server', description: 'What this server offers', mimeType: 'text/markdown' },
    async (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'text/markdown', text: '# my-mcp-server\n\nAn MCP server made with mcpctl.\n' }],
    }),
  );

  // A resource template: docs://{topic}, listed one per topic, with completion for the topic.
  server.registerResource(
    'docs',
    new ResourceTemplate('docs://{topic}', {
      list: async () => ({
        resources: Object.keys(docs).map((topic) => ({ uri: `docs://${topic}`, name: `docs: ${topic}`, mimeType: 'text/plain' })),
      }),
      complete: { topic: (value) => Object.keys(docs).filter((topic) => topic.startsWith(value)) },
    }),
    { title: 'Documentation', description: 'A page of documentation per topic', mimeType: 'text/plain' },
    async (uri, { topic }) => {
      const text = typeof topic === 'string' ? docs[topic] : undefined;
      if (text === undefined) throw new Error(`no docs for "${String(topic)}"; topics: ${Object.keys(docs).join(', ')}`);
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text }] };
    },
  );
}
