// Runs the ceiling programs (bench/ceilings/*.ts) against a running bench site.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CeilingFigure } from './ceilings/corpus.ts';
import { ROOT } from './crawlers.ts';
import type { SiteKind } from './sites/paths.ts';

export interface CeilingResult {
  site: SiteKind;
  kind: 'parse' | 'fetch';
  figures: CeilingFigure[];
  error?: string;
}

const run = promisify(execFile);

export async function runCeiling(kind: 'parse' | 'fetch', site: SiteKind, siteUrl: string, quick: boolean): Promise<CeilingResult> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'ceilings', `${kind}.ts`)], {
      cwd: ROOT,
      env: {
        ...process.env,
        BENCH_SITE_URL: siteUrl,
        BENCH_PROFILE: site,
        BENCH_MIN_CPU_S: quick ? '0.3' : '3',
        BENCH_PASSES: quick ? '1' : '3',
      },
      maxBuffer: 1 << 20,
      timeout: 300_000,
    });
    return { site, kind, figures: JSON.parse(stdout.trim().split('\n').pop()!) as CeilingFigure[] };
  } catch (e) {
    const err = e as Error & { stderr?: string };
    return { site, kind, figures: [], error: (err.stderr?.trim().split('\n').slice(-5).join(' ') || err.message).slice(0, 500) };
  }
}
