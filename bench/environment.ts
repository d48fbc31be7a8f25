// The machine and the versions a bench run measured, for the report.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT, scrapyInstalled } from './crawlers.ts';
import { python } from './measure.ts';

export interface Environment {
  cores: number;
  cpu: string;
  memoryGiB: number;
  kernel: string;
  versions: Record<string, string>;
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function pythonVersion(): string {
  try {
    return execFileSync(python(), ['--version'], { encoding: 'utf8' })
      .trim()
      .replace(/^Python /, '');
  } catch {
    return 'not installed';
  }
}

export function environment(): Environment {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    versions: {
      node: process.versions.node,
      crawlee: packageVersion('crawlee'),
      cheerio: packageVersion('cheerio'),
      htmlparser2: packageVersion('htmlparser2'),
      parse5: packageVersion('parse5'),
      undici: packageVersion('undici'),
      tsx: packageVersion('tsx'),
      scrapy: scrapyInstalled() ?? 'not installed',
      python: pythonVersion(),
    },
  };
}

export function environmentTable(e: Environment): string {
  const v = Object.entries(e.versions)
    .map(([k, x]) => `${k} ${x}`)
    .join(', ');
  return `Machine: ${e.cores} cores (${e.cpu}), ${e.memoryGiB} GiB, Linux ${e.kernel}.\nVersions: ${v}.`;
}
