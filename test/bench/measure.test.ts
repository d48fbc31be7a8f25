import { describe, expect, it } from 'vitest';
import { measure } from '../../bench/measure.ts';
import { startSiteProcess } from '../../bench/site-process.ts';

describe('measuring a child process', () => {
  it('reports its CPU, peak memory, exit status and output', async () => {
    // Holds 64 MiB and spins for 200 ms of CPU, then fails on purpose.
    const script = `const b = Buffer.alloc(64 * 2 ** 20, 1); const t = process.cpuUsage(); while (process.cpuUsage(t).user < 200000); console.log(b[5]); process.exit(3);`;
    const m = await measure({ cmd: process.execPath, args: ['-e', script] });
    expect(m.exitCode).toBe(3);
    expect(m.stdout.trim()).toBe('1');
    expect(m.userS + m.sysS).toBeGreaterThanOrEqual(0.2);
    expect(m.maxRssKiB / 1024).toBeGreaterThan(64);
    expect(m.wallMs).toBeGreaterThanOrEqual(200);
  });

  it('runs the bench site in its own process and lists its pages', async () => {
    const site = await startSiteProcess('books', 40);
    try {
      expect(site.pages).toBe(42);
      expect(site.pid).not.toBe(process.pid);
      const paths = (await (await fetch(`${site.url}/__bench/urls`)).json()) as string[];
      expect(paths).toHaveLength(42);
      expect(paths[0]).toBe('/catalogue/page-1.html');
      const detail = await fetch(site.url + paths[2]!);
      expect(detail.status).toBe(200);
      expect(await detail.text()).toContain('<h1>A Light in the Attic</h1>');
    } finally {
      await site.stop();
    }
  });
});
