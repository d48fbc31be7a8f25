// The pages of a bench site, fetched once into memory before anything is timed.
export interface Page {
  url: string;
  html: string;
  listing: boolean;
}

export async function loadCorpus(siteUrl: string): Promise<Page[]> {
  const paths = (await (await fetch(`${siteUrl}/__bench/urls`)).json()) as string[];
  const pages: Page[] = [];
  for (const path of paths) {
    const url = siteUrl + path;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    pages.push({ url, html: await res.text(), listing: /\/page-\d+\.html$/.test(path) });
  }
  return pages;
}

/** CPU seconds (user + system, every thread of this process) that `work` takes. */
export async function cpuSeconds(work: () => Promise<void> | void): Promise<{ cpuS: number; wallS: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await work();
  const c = process.cpuUsage(c0);
  return { cpuS: (c.user + c.system) / 1e6, wallS: (performance.now() - t0) / 1000 };
}

export interface CeilingFigure {
  name: string;
  pages: number;
  cpuS: number;
  wallS: number;
  bytes: number;
}
