import type { Command } from './command.ts';
import { costCommand } from './commands/cost.ts';
import { deployCommand } from './commands/deploy.ts';
import { explainCommand } from './commands/explain.ts';
import { generateCommand } from './commands/generate.ts';
import { newCommand } from './commands/new.ts';
import { recordCommand } from './commands/record.ts';
import { runCommand } from './commands/run.ts';
import { statusCommand } from './commands/status.ts';
import { testCommand } from './commands/test.ts';
import { tryCommand } from './commands/try.ts';
import { validateCommand } from './commands/validate.ts';

// One line per command; the order is the order of `collect --help`.
export const commands: Command[] = [newCommand, validateCommand, tryCommand, runCommand, recordCommand, testCommand, explainCommand, costCommand, generateCommand, deployCommand, statusCommand];
