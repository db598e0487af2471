/**
 * The few statistics the bench reports. Percentiles use the nearest-rank method (the smallest
 * sample with at least p% of samples at or below it), so a p99 is always a latency that was
 * actually observed, never an interpolation between two.
 */

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

function sorted(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new Error("No samples to summarise.");
  return [...samples].sort((a, b) => a - b);
}

/** Nearest-rank percentile, p from 0 to 100. */
export function percentile(samples: readonly number[], p: number): number {
  const ordered = sorted(samples);
  const rank = Math.max(1, Math.ceil((p / 100) * ordered.length));
  return ordered[rank - 1]!;
}

/** The middle sample, or the mean of the two middle ones. */
export function median(samples: readonly number[]): number {
  const ordered = sorted(samples);
  const middle = Math.floor(ordered.length / 2);
  return ordered.length % 2 === 1 ? ordered[middle]! : (ordered[middle - 1]! + ordered[middle]!) / 2;
}

export function mean(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error("No samples to average.");
  return samples.reduce((sum, sample) => sum + sample, 0) / samples.length;
}

export function summarise(samples: readonly number[]): LatencySummary {
  return {
    count: samples.length,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
    mean: mean(samples),
  };
}

/** Lambda bills each invocation's duration rounded up to the next millisecond. */
export function meanBilledMs(durationsMs: readonly number[]): number {
  return mean(durationsMs.map((duration) => Math.max(1, Math.ceil(duration))));
}

/** Bytes of memory as MiB, to a tenth: how the bench reports a process's resident set. */
export function mebibytes(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}
