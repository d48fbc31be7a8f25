#!/usr/bin/env node
import { UsageError, type CliIO } from './command.ts';
import { loadCommand, loadCommands } from './registry.ts';

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(await helpText());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout.write('collect 0.1.0\n');
    return 0;
  }
  const command = await loadCommand(name);
  if (!command) {
    io.stderr.write(`collect: unknown command "${name}"\n\n${await helpText()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`collect ${name}: ${err.message}\n\n${command.usage}\n`);
      return 2;
    }
    if (err instanceof Error && (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      io.stderr.write(`collect ${name}: ${err.message}\n\n${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`collect ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

export async function helpText(): Promise<string> {
  const commands = await loadCommands();
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: collect <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`collect <command> --help\` for the options of one command.\n`;
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
  process.exitCode = code;
}
