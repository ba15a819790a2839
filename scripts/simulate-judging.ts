/**
 * `npm run simulate-judging [-- --runs N --seed S --draws D --workers W --batch B]`: how well do
 * the raw mean, per-judge z-scores and the calibrated fit recover the true ranking of a shortlist
 * (issue #7), and how much better does adaptive assignment do with the same scorecards (issue #21)?
 * Each run: 40 ideas with true quality q ~ N(0, 1); 8 judges with leniency a ~ N(0, sd_a²) and
 * spread b = exp(sd_b·N(0, 1)); a score is clamp(round(5.5 + 1.5·(a + b·q) + e), 1, 10) with
 * e ~ N(0, sd_e²). Fixed design: each idea scored by 3 judges (assignJudges: balanced load, every
 * pair of judges sharing ideas, different subsets). Adaptive design, on the same jury: 2 judges per
 * idea by the same planner, then one scorecard at a time (B at a time with --batch) to the idea
 * where one more score is worth most (adaptive.ts, prize-line.ts), refitting in between, up to
 * the fixed design's 120 scorecards; measured at every budget on the way. Runs are seeded one by
 * one, so the figures do not depend on how many workers share them.
 */
import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { assignJudges } from '../src/features/judging/assignment.ts';
import { rawMeans, zScoreMeans } from '../src/features/judging/baselines.ts';
import { fitCalibration, type CalibrationFit, type JudgeScore } from '../src/features/judging/calibration.ts';
import { bootstrapRankIntervals, posteriorRankIntervals } from '../src/features/judging/intervals.ts';
import { pickNextScorecard } from '../src/features/judging/adaptive.ts';
import { valueOfOneMoreScore } from '../src/features/judging/prize-line.ts';
import { sortedDescending, type RankInterval } from '../src/features/judging/ranks.ts';
import { normalFrom, randomFrom } from '../src/features/judging/rng.ts';

type Setting = { name: string; leniencySd: number; spreadSd: number; noiseSd: number; targets: Targets; adaptiveTargets: AdaptiveTargets };
type Targets = { overlap: number; bestInTop5: number; tau?: number; coverage: number };
/** matchShare: the adaptive design reaches the fixed design's accuracy with at most this share of its scorecards. */
type AdaptiveTargets = { overlap: number; bestInTop5: number; coverage: number; matchShare: number };
const SETTINGS: Setting[] = [
  {
    name: 'issue setting (leniency sd 1.0, spread sd 0.6, noise sd 0.5)',
    leniencySd: 1,
    spreadSd: 0.6,
    noiseSd: 0.5,
    targets: { overlap: 4.0, bestInTop5: 0.965, tau: 0.84, coverage: 0.88 },
    adaptiveTargets: { overlap: 4.35, bestInTop5: 0.99, coverage: 0.88, matchShare: 0.75 },
  },
  {
    name: 'noisier setting (leniency sd 0.5, spread sd 0.3, noise sd 1.0)',
    leniencySd: 0.5,
    spreadSd: 0.3,
    noiseSd: 1.0,
    targets: { overlap: 3.55, bestInTop5: 0.93, coverage: 0.88 },
    adaptiveTargets: { overlap: 3.9, bestInTop5: 0.98, coverage: 0.88, matchShare: 0.75 },
  },
];
const IDEAS = 40;
const JUDGES = 8;
const PER_IDEA = 3;
const TOP = 5;
/** Both designs fill the same number of scorecards. */
const BUDGET = IDEAS * PER_IDEA;
/** Adaptive: judges every idea gets before the prize line decides. */
const MINIMUM = 2;
const SCALE = { scale: { min: 1, max: 10 }, step: 1 };
const METHODS = ['raw mean', 'per-judge z-scores', 'calibrated (joint fit)'] as const;
/** Per method (fixed) or per budget (adaptive): best in top 5, top-5 overlap, Kendall's tau, interval coverage (sums over runs). */
type Totals = number[][];

type Job = { setting: number; from: number; to: number; seed: string; draws: number; batch: number };

/** The budgets at which the adaptive design is measured: after the minimum, after each batch. */
const budgetsOf = (batch: number) => {
  const budgets: number[] = [];
  for (let budget = IDEAS * MINIMUM; budget < BUDGET; budget += batch) budgets.push(budget);
  return [...budgets, BUDGET];
};

type Jury = { ideaIds: string[]; judgeIds: string[]; quality: number[]; leniency: number[]; spread: number[]; normal: () => number };

/** The same jury for both designs: the true qualities, leniencies and spreads of one run. */
function juryOf(setting: Setting, run: number, seed: string): Jury {
  const normal = normalFrom(randomFrom(`${seed}:${setting.name}:${run}`));
  const ideaIds = Array.from({ length: IDEAS }, (_, i) => `i${String(i).padStart(2, '0')}`);
  const judgeIds = Array.from({ length: JUDGES }, (_, j) => `j${j}`);
  const quality = ideaIds.map(() => normal());
  const leniency = judgeIds.map(() => setting.leniencySd * normal());
  const spread = judgeIds.map(() => Math.exp(setting.spreadSd * normal()));
  return { ideaIds, judgeIds, quality, leniency, spread, normal };
}

function scoreOf(setting: Setting, jury: Jury, ideaId: string, judgeId: string, normal: () => number): JudgeScore {
  const i = jury.ideaIds.indexOf(ideaId);
  const j = jury.judgeIds.indexOf(judgeId);
  const latent = 5.5 + 1.5 * (jury.leniency[j]! + jury.spread[j]! * jury.quality[i]!) + setting.noiseSd * normal();
  return { ideaId, judgeId, score: Math.min(10, Math.max(1, Math.round(latent))) };
}

function truthOf(quality: readonly number[]) {
  const trueOrder = sortedDescending(quality);
  const trueRank = new Int32Array(IDEAS);
  trueOrder.forEach((idea, position) => (trueRank[idea] = position + 1));
  return { trueOrder, trueRank, trueTop: new Set(trueOrder.slice(0, TOP)) };
}

/** Best in top 5, top-5 overlap, Kendall's tau, and (with intervals) their coverage of the true ranks. */
function metricsOf(values: ArrayLike<number>, quality: readonly number[], intervals: RankInterval[] | null): number[] {
  const { trueOrder, trueRank, trueTop } = truthOf(quality);
  const top = sortedDescending(values).slice(0, TOP);
  const covered = intervals ? intervals.filter((interval, i) => interval.low <= trueRank[i]! && trueRank[i]! <= interval.high).length : 0;
  return [top.includes(trueOrder[0]!) ? 1 : 0, top.filter((idea) => trueTop.has(idea)).length, kendallTauB(values, quality), covered / IDEAS];
}

/** The fixed design: PER_IDEA judges per idea, all three rankings. */
function simulateFixed(setting: Setting, run: number, seed: string, draws: number): number[][] {
  const jury = juryOf(setting, run, seed);
  const random = randomFrom(`${seed}:${setting.name}:${run}:draws`);
  const { assignments } = assignJudges({ ideaIds: jury.ideaIds, judgeIds: jury.judgeIds, perIdea: PER_IDEA, seed: `${seed}:${run}` });
  const scores = jury.ideaIds.flatMap((ideaId) => assignments.get(ideaId)!.map((judgeId) => scoreOf(setting, jury, ideaId, judgeId, jury.normal)));
  const raw = rawMeans(scores);
  const z = zScoreMeans(scores);
  const fit = fitCalibration(scores, SCALE);
  // Every idea is scored, and all three modules order ideas by sorted id: index i is idea i.
  return [
    metricsOf(raw.means, jury.quality, bootstrapRankIntervals(raw.values, { draws, random })),
    metricsOf(z.means, jury.quality, bootstrapRankIntervals(z.values, { draws, random })),
    metricsOf(fit.quality, jury.quality, posteriorRankIntervals(fit, { draws, random })),
  ];
}

/**
 * The adaptive design on the same jury: MINIMUM judges per idea by the balanced plan, then the
 * rest of the budget pulled BATCH scorecards at a time (judges working in parallel: the ranking is
 * refitted after each batch) by pickNextScorecard. Returns the calibrated ranking's metrics at every
 * budget of budgetsOf(batch) (coverage only at the full budget, where the intervals are drawn).
 */
function simulateAdaptive(setting: Setting, run: number, seed: string, draws: number, batch: number): number[][] {
  const budgets = budgetsOf(batch);
  const jury = juryOf(setting, run, seed);
  const noise = normalFrom(randomFrom(`${seed}:${setting.name}:${run}:adaptive`));
  const random = randomFrom(`${seed}:${setting.name}:${run}:adaptive-draws`);
  const { assignments } = assignJudges({ ideaIds: jury.ideaIds, judgeIds: jury.judgeIds, perIdea: MINIMUM, seed: `${seed}:${run}` });
  const holders = new Map(jury.ideaIds.map((ideaId) => [ideaId, [...assignments.get(ideaId)!]]));
  const scores = jury.ideaIds.flatMap((ideaId) => holders.get(ideaId)!.map((judgeId) => scoreOf(setting, jury, ideaId, judgeId, noise)));
  const results: number[][] = [];
  let fit: CalibrationFit | undefined;
  for (;;) {
    // Between pulls a looser tolerance does: it moves estimates by a thousandth of an sd.
    fit = fitCalibration(scores, { ...SCALE, start: fit, tolerance: scores.length >= BUDGET ? undefined : 1e-3 });
    const last = scores.length >= BUDGET;
    if (budgets.includes(scores.length)) results.push(metricsOf(fit.quality, jury.quality, last ? posteriorRankIntervals(fit, { draws, random }) : null));
    if (last) return results;
    const values = valueOfOneMoreScore(fit, TOP);
    const value = new Map(fit.ideaIds.map((ideaId, i) => [ideaId, values[i]!]));
    const pickedThisRound = new Set<string>();
    const round: JudgeScore[] = [];
    for (let k = 0; k < batch && scores.length + round.length < BUDGET; k++) {
      const pull = pickNextScorecard({ ideaIds: jury.ideaIds, judgeIds: jury.judgeIds, holders, minimum: MINIMUM, value, pickedThisRound });
      if (!pull) break;
      pickedThisRound.add(pull.ideaId);
      holders.get(pull.ideaId)!.push(pull.judgeId);
      round.push(scoreOf(setting, jury, pull.ideaId, pull.judgeId, noise));
    }
    if (!round.length) throw new Error('no scorecard left to pull before the budget');
    scores.push(...round);
  }
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

function runJob(job: Job): { fixed: Totals; adaptive: Totals } {
  const fixed: Totals = METHODS.map(() => [0, 0, 0, 0]);
  const adaptive: Totals = budgetsOf(job.batch).map(() => [0, 0, 0, 0]);
  const add = (totals: Totals, rows: number[][]) => rows.forEach((metrics, m) => metrics.forEach((value, k) => (totals[m]![k]! += value)));
  for (let run = job.from; run < job.to; run++) {
    add(fixed, simulateFixed(SETTINGS[job.setting]!, run, job.seed, job.draws));
    add(adaptive, simulateAdaptive(SETTINGS[job.setting]!, run, job.seed, job.draws, job.batch));
  }
  return { fixed, adaptive };
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

/** Workers do not inherit tsx's loader: each registers it, then loads this file. */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;

async function inWorkers(job: Job, workers: number): Promise<{ fixed: Totals; adaptive: Totals }> {
  if (workers <= 1) return runJob(job);
  const size = Math.ceil((job.to - job.from) / workers);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const part: Job = { ...job, from: job.from + w * size, to: Math.min(job.to, job.from + (w + 1) * size) };
      return new Promise<{ fixed: Totals; adaptive: Totals }>((resolve, reject) => {
        const worker = new Worker(WORKER_BOOT, { eval: true, workerData: part });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    }),
  );
  const sum = (x: Totals, y: Totals) => x.map((row, m) => row.map((value, k) => value + y[m]![k]!));
  return parts.reduce((total, part) => ({ fixed: sum(total.fixed, part.fixed), adaptive: sum(total.adaptive, part.adaptive) }));
}

type Check = [string, boolean];
const verdict = (checks: Check[]) => checks.map(([label, ok]) => `${label} ${ok ? 'PASS' : 'MISS'}`).join(', ');
const row = (label: string, [best, overlap, tau, coverage]: number[], withCoverage = true) =>
  `  ${label.padEnd(24)} ${pct(best!).padStart(14)} ${overlap!.toFixed(3).padStart(14)} ${tau!.toFixed(3).padStart(12)} ${(withCoverage ? pct(coverage!) : '').padStart(13)}`;
const HEADER = `  ${'method'.padEnd(24)} ${'best in top 5'.padStart(14)} ${'top-5 overlap'.padStart(14)} ${'Kendall tau'.padStart(12)} ${'90% coverage'.padStart(13)}`;

async function main() {
  // The adaptive design refits after every scorecard (40 fits a run): 4,000 runs take a few minutes.
  const runs = Number(option('runs', '4000'));
  const seed = option('seed', '1');
  const draws = Number(option('draws', '200'));
  const batch = Number(option('batch', '1'));
  const workers = Number(option('workers', String(Math.min(2, os.availableParallelism()))));
  console.log(`simulate-judging: ${runs} runs per setting, seed ${seed}, ${draws} rank draws per idea per run, ${workers} worker(s)`);
  console.log(`${IDEAS} ideas, ${JUDGES} judges, top ${TOP}; 90% rank intervals: bootstrap of each idea's scores for the baselines, posterior draws for the fit`);
  console.log(
    `fixed design: ${PER_IDEA} judges per idea (${BUDGET} scorecards); adaptive design on the same juries: ${MINIMUM} judges per idea, then the prize line, refitting after ${batch === 1 ? 'every scorecard' : `every ${batch} scorecards`}, up to ${BUDGET}\n`,
  );
  let allPass = true;
  for (const [index, setting] of SETTINGS.entries()) {
    const started = performance.now();
    const totals = await inWorkers({ setting: index, from: 0, to: runs, seed, draws, batch }, workers);
    const seconds = (performance.now() - started) / 1000;
    const mean = (rowTotals: number[]) => rowTotals.map((value) => value / runs);
    console.log(setting.name);
    console.log(`  fixed design\n${HEADER}`);
    METHODS.forEach((method, m) => console.log(row(method, mean(totals.fixed[m]!))));
    const [best, overlap, tau, coverage] = mean(totals.fixed[2]!) as [number, number, number, number];
    const t = setting.targets;
    const checks: Check[] = [
      [`top-5 overlap ≥ ${t.overlap.toFixed(2)}`, overlap >= t.overlap],
      [`best in top 5 ≥ ${pct(t.bestInTop5)}`, best >= t.bestInTop5],
      ...(t.tau !== undefined ? [[`tau ≥ ${t.tau.toFixed(2)}`, tau >= t.tau] as Check] : []),
      [`coverage ≥ ${pct(t.coverage)}`, coverage >= t.coverage],
    ];
    console.log(`  targets for the calibrated ranking: ${verdict(checks)}`);

    console.log(`  adaptive design, calibrated ranking, by scorecards filled\n${HEADER.replace('method', 'scorecards')}`);
    const budgets = budgetsOf(batch);
    const adaptive = totals.adaptive.map(mean);
    const matchedAt = budgets.find((_, b) => adaptive[b]![1]! >= overlap && adaptive[b]![0]! >= best);
    // Every 4th budget, and the one that matches the fixed design.
    budgets.forEach((budget, b) => {
      if ((budget - budgets[0]!) % 4 === 0 || budget === matchedAt || budget === BUDGET) console.log(row(`${budget} (${pct(budget / BUDGET)})`, adaptive[b]!, budget === BUDGET));
    });
    console.log(
      `  adaptive matches the fixed design's calibrated accuracy (overlap ${overlap.toFixed(3)}, best ${pct(best)}) at ${matchedAt === undefined ? 'no budget up to ' + BUDGET : `${matchedAt} scorecards (${pct(matchedAt / BUDGET)} of ${BUDGET})`}`,
    );
    const [aBest, aOverlap, , aCoverage] = adaptive.at(-1)! as [number, number, number, number];
    const at = setting.adaptiveTargets;
    const adaptiveChecks: Check[] = [
      [`top-5 overlap ≥ ${at.overlap.toFixed(2)}`, aOverlap >= at.overlap],
      [`best in top 5 ≥ ${pct(at.bestInTop5)}`, aBest >= at.bestInTop5],
      [`coverage ≥ ${pct(at.coverage)}`, aCoverage >= at.coverage],
      [`matches fixed with ≤ ${pct(at.matchShare)} of its scorecards`, matchedAt !== undefined && matchedAt <= at.matchShare * BUDGET],
    ];
    console.log(`  targets for the adaptive design: ${verdict(adaptiveChecks)}`);
    console.log(`  time: ${seconds.toFixed(1)} s\n`);
    allPass &&= checks.every(([, ok]) => ok) && adaptiveChecks.every(([, ok]) => ok);
  }
  console.log(allPass ? 'All targets met.' : 'Some targets missed.');
  process.exitCode = allPass ? 0 : 1;
}

const pct = (value: number) => `${(100 * value).toFixed(1)}%`;

if (isMainThread) await main();
else parentPort!.postMessage(runJob(workerData as Job));
