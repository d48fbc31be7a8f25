// The file name and the collector name, and what a reviewer expects to find.
import { basename } from 'node:path';
import type { Collector } from '../generated/collector.types.ts';
import type { Issue } from '../issue.ts';

export function lintName(c: Collector, file: string): Issue[] {
  const m = /^(.*)\.ya?ml$/i.exec(basename(file));
  if (!m || m[1] === c.name) return [];
  return [
    {
      path: ['name'],
      message: `name "${c.name}" differs from the file name "${basename(file)}"`,
      hint: `name the file ${c.name}.yaml or set name: ${m[1]}`,
    },
  ];
}

export function lintHygiene(c: Collector): Issue[] {
  const issues: Issue[] = [];
  if (!c.expect) {
    issues.push({
      path: [],
      at: 'container',
      severity: 'warning',
      message: 'no expect block: an empty or broken run would pass unnoticed',
      hint: 'add expect: { minRecords: 1 }',
    });
  }
  if (!c.owner) {
    issues.push({
      path: [],
      at: 'container',
      severity: 'warning',
      message: 'no owner: nobody is named to answer for this collector',
      hint: 'add owner: a team or an e-mail address',
    });
  }
  return issues;
}
