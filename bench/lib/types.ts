/** What every benchmark reports: one or more rows of the table. */
export interface Row {
  id: string;
  benchmark: string;
  unit: string;
  /** Median over the repetitions. */
  value: number | null;
  baseline: number | null;
  /** value / baseline of the medians. */
  ratio: number | null;
  goal: string;
  met: boolean | null;
  /** Every repetition, for results.json. */
  runs?: Record<string, number>[];
  note?: string;
}

export interface BenchOptions {
  repetitions: number;
  /** Seconds of load per measurement. */
  durationSeconds: number;
  quick: boolean;
  databaseUrl: string;
  redisUrl: string;
  /** Write CPU profiles of the processes under test to bench/profiles/. */
  profile: boolean;
  log(message: string): void;
  /** Records a process's peak resident memory during a benchmark (benchmark 6 reports them). */
  peakRss(process: "api" | "worker", during: string, bytes: number): void;
}

export interface Benchmark {
  id: string;
  title: string;
  run(opts: BenchOptions): Promise<Row[]>;
}
