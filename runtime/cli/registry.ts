import type { Command } from './command.ts';
import { runCommand } from './commands/run.ts';
import { validateCommand } from './commands/validate.ts';

// One line per command; the order is the order of `collect --help`.
export const commands: Command[] = [validateCommand, runCommand];
