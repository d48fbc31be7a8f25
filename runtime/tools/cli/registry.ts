import type { Command } from './command.ts';

interface CommandEntry {
  name: string;
  load(): Promise<Command>;
}

// One line per command, in the order of `collect --help`. Commands load on
// demand: `collect run` never pays for the AWS SDK that `collect status` needs.
export const commandEntries: readonly CommandEntry[] = [
  { name: 'new', load: async () => (await import('./commands/new.ts')).newCommand },
  { name: 'validate', load: async () => (await import('./commands/validate.ts')).validateCommand },
  { name: 'try', load: async () => (await import('./commands/try.ts')).tryCommand },
  { name: 'run', load: async () => (await import('./commands/run.ts')).runCommand },
  { name: 'record', load: async () => (await import('./commands/record.ts')).recordCommand },
  { name: 'test', load: async () => (await import('./commands/test.ts')).testCommand },
  { name: 'show', load: async () => (await import('./commands/show.ts')).showCommand },
  { name: 'query', load: async () => (await import('./commands/query.ts')).queryCommand },
  { name: 'explain', load: async () => (await import('./commands/explain.ts')).explainCommand },
  { name: 'cost', load: async () => (await import('./commands/cost.ts')).costCommand },
  { name: 'generate', load: async () => (await import('./commands/generate.ts')).generateCommand },
  { name: 'deploy', load: async () => (await import('./commands/deploy.ts')).deployCommand },
  { name: 'status', load: async () => (await import('./commands/status.ts')).statusCommand },
  { name: 'retry', load: async () => (await import('./commands/retry.ts')).retryCommand },
];

export async function loadCommand(name: string): Promise<Command | undefined> {
  return commandEntries.find((e) => e.name === name)?.load();
}

export async function loadCommands(): Promise<Command[]> {
  return Promise.all(commandEntries.map((e) => e.load()));
}
