import { UsageError, type CliIO } from './command.ts';
import { userCwd } from './project.ts';
import { loadCommand, loadCommands } from './registry.ts';

/** The folder the user typed the command in, for a launcher in package `root`. */
export function launchCwd(root: string): string {
  return userCwd(process.cwd(), process.env, root);
}

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
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
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
