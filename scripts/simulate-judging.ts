/**
 * `npm run simulate-judging [-- --runs N --seed S --draws D --workers W]`: how well do the raw
 * mean, per-judge z-scores and the calibrated fit recover the true ranking of a shortlist (issue
 * #7)? Each run: 40 ideas with true quality q ~ N(0, 1); 8 judges with leniency a ~ N(0, sd_a²)
 * and spread b = exp(sd_b·N(0, 1)); each idea scored by 3 judges (assignJudges: balanced load,
 * every pair of judges sharing ideas, different subsets); a score is
 * clamp(round(5.5 + 1.5·(a + b·q) + e), 1, 10) with e ~ N(0, sd_e²). Runs are seeded one by one,
 * so the figures do not depend on how many workers share them.
 */
import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { assignJudges } from '../src/features/judging/assignment.ts';
import { rawMeans, zScoreMeans } from '../src/features/judging/baselines.ts';
import { fitCalibration, type JudgeScore } from '../src/features/judging/calibration.ts';
import { bootstrapRankIntervals, posteriorRankIntervals } from '../src/features/judging/intervals.ts';
import { sortedDescending, type RankInterval } from '../src/features/judging/ranks.ts';
import { normalFrom, randomFrom } from '../src/features/judging/rng.ts';

type Setting = { name: string; leniencySd: number; spreadSd: number; noiseSd: number; targets: Targets };
type Targets = { overlap: number; bestInTop5: number; tau?: number; coverage: number };
const SETTINGS: Setting[] = [
  { name: 'issue setting (leniency sd 1.0, spread sd 0.6, noise sd 0.5)', leniencySd: 1, spreadSd: 0.6, noiseSd: 0.5, targets: { overlap: 4.0, bestInTop5: 0.965, tau: 0.84, coverage: 0.88 } },
  { name: 'noisier setting (leniency sd 0.5, spread sd 0.3, noise sd 1.0)', leniencySd: 0.5, spreadSd: 0.3, noiseSd: 1.0, targets: { overlap: 3.55, bestInTop5: 0.93, coverage: 0.88 } },
];
const IDEAS = 40;
const JUDGES = 8;
const PER_IDEA = 3;
const TOP = 5;
const METHODS = ['raw mean', 'per-judge z-scores', 'calibrated (joint fit)'] as const;
/** Per method: best in top 5, top-5 overlap, Kendall's tau, interval coverage (sums over runs). */
type Totals = number[][];

type Job = { setting: number; from: number; to: number; seed: string; draws: number };

function simulateRun(setting: Setting, run: number, seed: string, draws: number): number[][] {
  const random = randomFrom(`${seed}:${setting.name}:${run}`);
  const normal = normalFrom(random);
  const ideaIds = Array.from({ length: IDEAS }, (_, i) => `i${String(i).padStart(2, '0')}`);
  const judgeIds = Array.from({ length: JUDGES }, (_, j) => `j${j}`);
  const quality = ideaIds.map(() => normal());
  const leniency = judgeIds.map(() => setting.leniencySd * normal());
  const spread = judgeIds.map(() => Math.exp(setting.spreadSd * normal()));
  const { assignments } = assignJudges({ ideaIds, judgeIds, perIdea: PER_IDEA, seed: `${seed}:${run}` });
  const scores: JudgeScore[] = [];
  ideaIds.forEach((ideaId, i) => {
    for (const judgeId of assignments.get(ideaId)!) {
      const j = judgeIds.indexOf(judgeId);
      const latent = 5.5 + 1.5 * (leniency[j]! + spread[j]! * quality[i]!) + setting.noiseSd * normal();
      scores.push({ ideaId, judgeId, score: Math.min(10, Math.max(1, Math.round(latent))) });
    }
  });

  const trueOrder = sortedDescending(quality);
  const trueRank = new Int32Array(IDEAS);
  trueOrder.forEach((idea, position) => (trueRank[idea] = position + 1));
  const raw = rawMeans(scores);
  const z = zScoreMeans(scores);
  const fit = fitCalibration(scores, { scale: { min: 1, max: 10 }, step: 1 });
  // Every idea is scored, and all three modules order ideas by sorted id: index i is idea i.
  const estimates: Array<[ArrayLike<number>, RankInterval[]]> = [
    [raw.means, bootstrapRankIntervals(raw.values, { draws, random })],
    [z.means, bootstrapRankIntervals(z.values, { draws, random })],
    [fit.quality, posteriorRankIntervals(fit, { draws, random })],
  ];
  return estimates.map(([values, intervals]) => {
    const top = sortedDescending(values).slice(0, TOP);
    const trueTop = new Set(trueOrder.slice(0, TOP));
    const covered = intervals.filter((interval, i) => interval.low <= trueRank[i]! && trueRank[i]! <= interval.high).length;
    return [top.includes(trueOrder[0]!) ? 1 : 0, top.filter((idea) => trueTop.has(idea)).length, kendallTauB(values, quality), covered / IDEAS];
  });
}

/** Kendall's tau-b: ties in the estimate (raw means often tie) count as neither agreement nor not. */
function kendallTauB(estimate: ArrayLike<number>, truth: readonly number[]): number {
  let concordant = 0;
  let discordant = 0;
  let tiedEstimate = 0;
  let pairs = 0;
  for (let i = 0; i < truth.length; i++) {
    for (let k = i + 1; k < truth.length; k++) {
      pairs++;
      const sign = Math.sign(estimate[i]! - estimate[k]!) * Math.sign(truth[i]! - truth[k]!);
      if (estimate[i] === estimate[k]) tiedEstimate++;
      else if (sign > 0) concordant++;
      else if (sign < 0) discordant++;
    }
  }
  return (concordant - discordant) / Math.sqrt((pairs - tiedEstimate) * pairs);
}

function runJob(job: Job): Totals {
  const totals: Totals = METHODS.map(() => [0, 0, 0, 0]);
  for (let run = job.from; run < job.to; run++) {
    simulateRun(SETTINGS[job.setting]!, run, job.seed, job.draws).forEach((metrics, m) => metrics.forEach((value, k) => (totals[m]![k]! += value)));
  }
  return totals;
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

/** Workers do not inherit tsx's loader: each registers it, then loads this file. */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;

async function inWorkers(job: Job, workers: number): Promise<Totals> {
  if (workers <= 1) return runJob(job);
  const size = Math.ceil((job.to - job.from) / workers);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const part: Job = { ...job, from: job.from + w * size, to: Math.min(job.to, job.from + (w + 1) * size) };
      return new Promise<Totals>((resolve, reject) => {
        const worker = new Worker(WORKER_BOOT, { eval: true, workerData: part });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    }),
  );
  return parts.reduce((sum, part) => sum.map((row, m) => row.map((value, k) => value + part[m]![k]!)));
}

async function main() {
  const runs = Number(option('runs', '20000'));
  const seed = option('seed', '1');
  const draws = Number(option('draws', '200'));
  const workers = Number(option('workers', String(Math.min(2, os.availableParallelism()))));
  console.log(`simulate-judging: ${runs} runs per setting, seed ${seed}, ${draws} rank draws per idea per run, ${workers} worker(s)`);
  console.log(`${IDEAS} ideas, ${JUDGES} judges, ${PER_IDEA} judges per idea; 90% rank intervals: bootstrap of each idea's scores for the baselines, posterior draws for the fit\n`);
  let allPass = true;
  for (const [index, setting] of SETTINGS.entries()) {
    const started = performance.now();
    const totals = await inWorkers({ setting: index, from: 0, to: runs, seed, draws }, workers);
    const seconds = (performance.now() - started) / 1000;
    console.log(setting.name);
    console.log(`  ${'method'.padEnd(24)} ${'best in top 5'.padStart(14)} ${'top-5 overlap'.padStart(14)} ${'Kendall tau'.padStart(12)} ${'90% coverage'.padStart(13)}`);
    METHODS.forEach((method, m) => {
      const [best, overlap, tau, coverage] = totals[m]!.map((value) => value / runs) as [number, number, number, number];
      console.log(`  ${method.padEnd(24)} ${pct(best).padStart(14)} ${overlap.toFixed(3).padStart(14)} ${tau.toFixed(3).padStart(12)} ${pct(coverage).padStart(13)}`);
    });
    const [best, overlap, tau, coverage] = totals[2]!.map((value) => value / runs) as [number, number, number, number];
    const t = setting.targets;
    const checks: Array<[string, boolean]> = [
      [`top-5 overlap ≥ ${t.overlap.toFixed(2)}`, overlap >= t.overlap],
      [`best in top 5 ≥ ${pct(t.bestInTop5)}`, best >= t.bestInTop5],
      ...(t.tau !== undefined ? [[`tau ≥ ${t.tau.toFixed(2)}`, tau >= t.tau] as [string, boolean]] : []),
      [`coverage ≥ ${pct(t.coverage)}`, coverage >= t.coverage],
    ];
    console.log(`  targets for the calibrated ranking: ${checks.map(([label, ok]) => `${label} ${ok ? 'PASS' : 'MISS'}`).join(', ')}`);
    console.log(`  time: ${seconds.toFixed(1)} s\n`);
    allPass &&= checks.every(([, ok]) => ok);
  }
  console.log(allPass ? 'All targets met.' : 'Some targets missed.');
  process.exitCode = allPass ? 0 : 1;
}

const pct = (value: number) => `${(100 * value).toFixed(1)}%`;

if (isMainThread) await main();
else parentPort!.postMessage(runJob(workerData as Job));
