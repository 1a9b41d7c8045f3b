import type { JobReport } from '@orchester/runtime';
import { describe, expect, it } from 'vitest';
import { type BatchWriter, ResultRecorder } from './result-recorder.js';

function reportOf(batchId: string, identifier: string): JobReport {
  return {
    jobId: `${batchId}.mem.check.${identifier}`,
    batchId,
    instance: 'mem',
    action: 'check',
    identifier,
    attempts: 1,
    finishedAt: '2026-11-28T00:00:00.000Z',
    status: 'succeeded',
    state: 'member',
  };
}

/** Records each call as it is made (the moment a real store sends its command). */
class Writer implements BatchWriter {
  readonly calls: string[][] = [];
  refusals = 0;
  recordMany(_batchId: string, reports: readonly JobReport[]): Promise<number> {
    this.calls.push(reports.map((r) => r.identifier));
    if (this.refusals > 0) {
      this.refusals -= 1;
      return Promise.reject(new Error('OOM command not allowed'));
    }
    return Promise.resolve(reports.length);
  }
}

describe('ResultRecorder', () => {
  it('sends the ends recorded in one turn as one write per batch', async () => {
    const writer = new Writer();
    const recorder = new ResultRecorder(writer);
    await Promise.all([
      recorder.record(reportOf('b1', 'ada')),
      recorder.record(reportOf('b2', 'bob')),
      recorder.record(reportOf('b1', 'cy')),
    ]);
    expect(writer.calls).toEqual([['ada', 'cy'], ['bob']]);
  });

  it("sends a job's end before the job completes, coalesced with the ends of its turn", async () => {
    const writer = new Writer();
    const recorder = new ResultRecorder(writer);
    const sentAtCompletion: string[] = [];
    const processor = async (identifier: string) => {
      await recorder.recordAhead(reportOf('b1', identifier));
      return identifier;
    };
    // BullMQ completes a job a few promise hops after its processor resolves.
    await Promise.all(
      ['ada', 'bob'].map((id) =>
        processor(id).then((done) => sentAtCompletion.push(`${done}: ${writer.calls.flat()}`)),
      ),
    );
    expect(sentAtCompletion).toEqual(['ada: ada,bob', 'bob: ada,bob']);
    expect(writer.calls).toEqual([['ada', 'bob']]);
  });

  it('retries a refused write sent ahead, and reports it once the retries run out', async () => {
    const writer = new Writer();
    const lost: string[] = [];
    const recorder = new ResultRecorder(writer, {
      retryDelaysMs: [1, 1],
      onLost: (report) => lost.push(report.identifier),
    });
    writer.refusals = 2;
    await recorder.recordAhead(reportOf('b1', 'ada'));
    await recorder.settled();
    expect(writer.calls).toEqual([['ada'], ['ada'], ['ada']]);
    expect(lost).toEqual([]);

    writer.refusals = 3;
    await recorder.recordAhead(reportOf('b1', 'bob'));
    await recorder.settled();
    expect(lost).toEqual(['bob']);
  });

  it('fails a waited-for write with the refusal', async () => {
    const writer = new Writer();
    writer.refusals = 1;
    const recorder = new ResultRecorder(writer);
    await expect(recorder.record(reportOf('b1', 'ada'))).rejects.toThrow(/OOM/);
  });

  it('with awaitLanding (a Redis Cluster), a job completes only once its end has landed, and a refusal fails it', async () => {
    let land: (() => void) | undefined;
    const landed: string[] = [];
    const writer: BatchWriter = {
      recordMany: (_b, reports) =>
        new Promise((resolve) => {
          land = () => {
            landed.push(...reports.map((r) => r.identifier));
            resolve(reports.length);
          };
        }),
    };
    const recorder = new ResultRecorder(writer, { awaitLanding: true });
    let completed = false;
    const ahead = recorder.recordAhead(reportOf('b1', 'ada')).then(() => {
      completed = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(completed).toBe(false);
    land?.();
    await ahead;
    expect(landed).toEqual(['ada']);
    const refusing = new Writer();
    refusing.refusals = 1;
    await expect(
      new ResultRecorder(refusing, { awaitLanding: true }).recordAhead(reportOf('b1', 'bob')),
    ).rejects.toThrow('OOM');
  });
});
