// Renders docs/reference.md (every option of a collector) from the schema, so
// every option is documented exactly once, where it is defined, and
// docs/commands.md from the commands' usage, so it is what `--help` prints.
// It writes between the marker comments of those two pages and nowhere else.
// `test/docs/readme.test.ts` fails when either copy is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Node {
  $ref?: string;
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  examples?: unknown[];
  properties?: Record<string, Node>;
  additionalProperties?: Node | boolean;
  items?: Node;
  oneOf?: Node[];
  title?: string;
  required?: string[];
  minimum?: number;
  maximum?: number;
}

const schemaPath = fileURLToPath(new URL('../../../schemas/collector.schema.json', import.meta.url));
export const referencePath = fileURLToPath(new URL('../../../docs/reference.md', import.meta.url));
export const commandsPath = fileURLToPath(new URL('../../../docs/commands.md', import.meta.url));
export const START = '<!-- reference:start (generated from schemas/collector.schema.json by `npm run generate:reference`) -->';
export const END = '<!-- reference:end -->';

export function renderReference(): string {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Node & { $defs: Record<string, Node> };
  const deref = (n: Node): Node => {
    if (!n.$ref) return n;
    const path = n.$ref.replace(/^#\//, '').split('/');
    let at: unknown = schema;
    for (const p of path) at = (at as Record<string, unknown>)[p];
    return { ...deref(at as Node), ...(n.description ? { description: n.description } : {}) };
  };
  const out: string[] = [];
  const seen = new Set<string>();

  const typeOf = (n: Node): string => {
    if (n.const !== undefined) return `\`${JSON.stringify(n.const)}\``;
    if (n.enum) return n.enum.map((e) => `\`${String(e)}\``).join(' \\| ');
    const t = Array.isArray(n.type) ? n.type.join(' \\| ') : (n.type ?? 'any');
    if (t === 'array' && n.items) return `list of ${typeOf(deref(n.items))}`;
    if (t === 'object' && n.additionalProperties && typeof n.additionalProperties === 'object' && !n.properties)
      return `map of ${typeOf(deref(n.additionalProperties))}`;
    return t;
  };
  const refName = (n: Node): string | undefined => {
    if (n.$ref) return `see \`${n.$ref.split('/').pop()}\``;
    const values = n.additionalProperties;
    if (values && typeof values === 'object' && values.$ref) return `map of ${refName(values)}`;
    return undefined;
  };
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const example = (n: Node) => (n.examples?.length ? `\`${JSON.stringify(n.examples[0])}\`` : '');

  const section = (node: Node, path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push(`## \`${path}\``, '', cell(node.description ?? ''), '');
    const props = node.properties ?? {};
    if (Object.keys(props).length) {
      out.push('| option | type | default | description | example |', '| --- | --- | --- | --- | --- |');
      const nested: [string, Node][] = [];
      for (const [name, raw] of Object.entries(props)) {
        const p = deref(raw);
        const req = node.required?.includes(name) ? ' **(required)**' : '';
        const def = p.default !== undefined ? `\`${JSON.stringify(p.default)}\`` : '';
        out.push(
          `| \`${name}\`${req} | ${refName(raw) ?? typeOf(p)} | ${def} | ${cell(raw.description ?? p.description ?? '')} | ${cell(example(p))} |`,
        );
        // A $ref is documented once, in its own section; nested objects right after their parent.
        if (!raw.$ref && (p.properties || p.oneOf)) nested.push([`${path}.${name}`, p]);
      }
      out.push('');
      for (const [childPath, child] of nested) section(child, childPath);
    }
    for (const branch of node.oneOf ?? []) {
      const b = deref(branch);
      const tag = b.properties?.type?.const;
      section(b, `${path} type: ${String(tag)}`);
    }
  };

  section(schema, 'collector');
  for (const name of ['field', 'variable', 'stop', 'parse', 'discoverRule', 'pageKind', 'sitemapSeed', 'browser']) {
    const def = schema.$defs[name]!;
    section(def, name);
  }
  return `${out.join('\n').trim()}\n`;
}

export const CLI_START = "<!-- cli:start (generated from the commands' usage by `npm run generate:reference`) -->";
export const CLI_END = '<!-- cli:end -->';

/** Every command's usage text, in the order of `collect --help`. */
export function renderCli(commands: readonly { name: string; usage: string }[]): string {
  return commands.map((c) => `## \`collect ${c.name}\`\n\n\`\`\`\n${c.usage.trim()}\n\`\`\`\n`).join('\n');
}

function replaceBetween(text: string, start: string, end: string, body: string, file: string): string {
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file} has no ${start} ... ${end} section`);
  return `${text.slice(0, a + start.length)}\n\n${body}\n${text.slice(b)}`;
}

/** docs/reference.md's text with its generated section rendered afresh. */
export function withReference(page: string): string {
  return replaceBetween(page, START, END, renderReference(), 'docs/reference.md');
}

/** docs/commands.md's text with its generated section rendered afresh. */
export function withCommands(page: string, commands: readonly { name: string; usage: string }[]): string {
  return replaceBetween(page, CLI_START, CLI_END, renderCli(commands), 'docs/commands.md');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { loadCommands } = await import('../cli/registry.ts');
  writeFileSync(referencePath, withReference(readFileSync(referencePath, 'utf8')));
  writeFileSync(commandsPath, withCommands(readFileSync(commandsPath, 'utf8'), await loadCommands()));
  console.log(`updated the generated sections of ${referencePath} and ${commandsPath}`);
}
