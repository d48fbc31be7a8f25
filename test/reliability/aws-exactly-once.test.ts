// Issue #12's proof: whatever SQS and the machine do, a run's S3 output holds
// exactly the records of an undisturbed run, each once, and every run ends
// itself with its manifest (npm run reliability prints the same figures).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../helpers/moto.ts';
import { broken, type ExactlyOnceResult, runExactlyOnce, SCENARIOS } from './aws-exactly-once.ts';

let moto: Moto;
let results: ExactlyOnceResult[] = [];
beforeAll(async () => {
  moto = await startMoto();
  results = await runExactlyOnce(moto.endpoint);
});
afterAll(() => moto.stop());

describe('exactly-once records on AWS, from at-least-once delivery', () => {
  it('ran every scenario', () => {
    expect(results.map((r) => r.name)).toEqual(SCENARIOS.map((s) => s.name));
    expect(results[0]!.name).toBe('undisturbed');
  });

  for (const name of SCENARIOS.map((s) => s.name)) {
    it(`${name}: 0 lost, 0 duplicated, the run ended itself with its manifest`, () => {
      const r = results.find((x) => x.name === name)!;
      expect(broken(r, results[0])).toEqual([]);
    });
  }

  it('a dead-lettered task fails its run (recorded by the dead-letter consumer) before the retry completes it', () => {
    const r = results.find((x) => x.name.startsWith('a task dead-lettered'))!;
    expect(r.before).toMatchObject({ state: 'failed', failedTasks: 1 });
    expect(r.before!.records).toBeLessThan(r.expected);
    expect(r.failedTasks).toBe(0);
  });

  it('a duplicate that would rerun a chain is caught by the verdict', () => {
    const base = results[0]!;
    const rerun = { ...base, name: 'redelivery after success', sourceRequests: base.sourceRequests * 2 };
    expect(broken(rerun, base)).toEqual([expect.stringContaining('requests to the source')]);
  });
});
