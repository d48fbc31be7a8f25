// `network.allow`: every entry must be a host name, an address or a CIDR
// range, and no range may cover a cloud metadata endpoint: the guard never
// opens them (language/network.ts), so an entry that says otherwise is a
// mistake, and usually a much wider opening than the collector needs.
import type { Collector } from '../generated/collector.types.ts';
import type { Issue } from '../issue.ts';
import { metadataEndpointsIn, parseAllowEntry, type CoveredEndpoint } from '../network.ts';

const ENTRY_FORMS = 'a host name such as intranet.example.com, an IP address such as 10.1.2.3 or a CIDR range such as 10.0.0.0/8';

export function lintNetwork(c: Collector): Issue[] {
  const issues: Issue[] = [];
  for (const [i, raw] of (c.network?.allow ?? []).entries()) {
    const path = ['network', 'allow', i];
    const entry = parseAllowEntry(raw);
    if (entry.kind === 'invalid') {
      issues.push({ path, message: `"${raw}" is ${entry.reason}`, hint: `write ${ENTRY_FORMS}` });
      continue;
    }
    if (entry.kind !== 'range') continue;
    const covered = metadataEndpointsIn(entry.range);
    if (covered.length === 0) continue;
    issues.push({
      path,
      message: `"${raw}" covers ${listEndpoints(covered)}, which no network.allow entry or flag opens`,
      hint:
        entry.range.bits === 0
          ? 'public addresses need no entry; list only the private ones the collector reaches, e.g. 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16'
          : 'list only the hosts or the narrower ranges the collector reaches, which leave the metadata endpoints out',
    });
  }
  return issues;
}

function listEndpoints(covered: readonly CoveredEndpoint[]): string {
  const names = covered.map(({ endpoint, via }) => `${endpoint.address}${via ? ` (as ${via})` : ''}`);
  if (covered.length === 1) return `the cloud metadata endpoint ${names[0]} (${covered[0]!.endpoint.what})`;
  return `the cloud metadata endpoints ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
