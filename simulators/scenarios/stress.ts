/**
 * stress: raise the rate until ingest lags, and say where. The fleet's own devices (each its own MQTT
 * client and login) publish valid `motion` events — stored, no alert — at a rate that doubles every
 * step, with a few SOS presses a second mixed in to time publish → socket.io push. Each step is held
 * for a few seconds, then the load pauses until the pushes are in and the backlog has drained, so
 * every step starts from an empty pipeline. Stored and received rates come from the platform's
 * /metrics ingest counters, never the database. It stops at the first step that lags (knee.ts), or
 * when the next step would overrun `--max-seconds`, waits (up to two minutes) for the last step's
 * backlog to drain, and notes the knee for the summary; the runner then checks that everything sent
 * was stored.
 */
import type { PublishedMessage } from '../devices/fleet';
import { findKnee, formatStep, DEFAULT_LIMITS, type StepMeasurement } from './knee';
import type { Scenario, ScenarioContext } from './runner';

/** Events a second of the first step; each step doubles it. */
export const STRESS_FIRST_RATE = 100;
export const STRESS_STEP_SECONDS = 4;
export const STRESS_MAX_SECONDS = 60;
/** SOS presses a second mixed into every step, for the publish → push times. */
const ALERTS_PER_SECOND = 2;
const TICK_MS = 20;
/** Longest pause after a step for the pushes and the drain. */
const PAUSE_MAX_MS = 5000;
/** Longest wait at the end for the last step's backlog to drain. */
const DRAIN_MAX_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What ingest has finished with (stored, recognised as a duplicate, or dead-lettered), and received. */
async function ingestCounts(ctx: ScenarioContext): Promise<{ handled: number; received: number }> {
	const metrics = await ctx.metrics();
	const get = (name: string) => metrics?.get(name);
	const stored = get('carecircle_ingest_stored_total');
	if (stored === undefined)
		throw new Error('the platform serves no ingest counters on /metrics: stress cannot measure it');
	return {
		handled:
			stored +
			(get('carecircle_ingest_duplicates_total') ?? 0) +
			(get('carecircle_ingest_dead_letters_total') ?? 0),
		received: get('carecircle_ingest_received_total') ?? 0
	};
}

async function runStress(ctx: ScenarioContext): Promise<void> {
	const maxMs = (ctx.maxSeconds ?? STRESS_MAX_SECONDS) * 1000;
	const began = Date.now();
	const { fleet } = ctx;
	const loaders = fleet.devices.map((d) => d.id);
	const buttons = fleet.devices
		.filter((d) => d.kind === 'sos_button' || d.kind === 'gps_watch')
		.map((d) => d.id);
	if (loaders.length === 0) throw new Error('no device of the fleet connected');
	if (buttons.length === 0) throw new Error('the fleet has no SOS button or GPS watch to press');
	ctx.note(
		'load',
		`${loaders.length} device connections, motion events at QoS 1, ${ALERTS_PER_SECOND} SOS/s mixed in`
	);

	const base = fleet.stats().published;
	const baseCounts = await ingestCounts(ctx);
	const backlog = async () => {
		const counts = await ingestCounts(ctx);
		return { backlog: fleet.stats().published - base - (counts.handled - baseCounts.handled), counts };
	};

	const steps: StepMeasurement[] = [];
	let loaderTurn = 0;
	let buttonTurn = 0;
	for (let targetRate = STRESS_FIRST_RATE; ; targetRate *= 2) {
		const stepMs = STRESS_STEP_SECONDS * 1000;
		if (Date.now() - began + stepMs + PAUSE_MAX_MS > maxMs) break;
		const before = await backlog();
		const statsBefore = fleet.stats();
		const alerts: Promise<PublishedMessage>[] = [];
		const started = Date.now();
		let sent = 0;
		let pressed = 0;
		for (let elapsed = 0; elapsed < stepMs; elapsed = Date.now() - started) {
			const due = Math.floor((targetRate * Math.min(elapsed + TICK_MS, stepMs)) / 1000);
			// A publish settles without rejecting (a failure is counted); only a killed device refuses.
			for (; sent < due; sent++)
				fleet.publishEvent(loaders[loaderTurn++ % loaders.length], 'motion').catch(() => {});
			const pressesDue = Math.floor((ALERTS_PER_SECOND * elapsed) / 1000) + 1;
			for (; pressed < pressesDue; pressed++)
				alerts.push(fleet.publishEvent(buttons[buttonTurn++ % buttons.length], 'sos'));
			await sleep(TICK_MS);
		}
		const seconds = (Date.now() - started) / 1000;
		const after = await backlog();
		const statsAfter = fleet.stats();

		// The pause: until every alert of the step is pushed (or is later than any acceptable p99) and
		// the backlog is gone, so the next step starts from an empty pipeline.
		const sentIds = new Set((await Promise.all(alerts)).map((m) => m.eventId));
		const pauseUntil = Date.now() + PAUSE_MAX_MS;
		const pushWaitUntil = Date.now() + DEFAULT_LIMITS.maxP99Ms;
		let latenciesMs: number[] = [];
		for (;;) {
			latenciesMs = (await ctx.reported())
				.filter((r) => sentIds.has(r.alert.eventId))
				.map((r) => r.latencyMs);
			const drained = (await backlog()).backlog <= 0;
			const pushed = latenciesMs.length >= sentIds.size || Date.now() >= pushWaitUntil;
			if ((drained && pushed) || Date.now() >= pauseUntil) break;
			await sleep(100);
		}

		const step: StepMeasurement = {
			targetRate,
			seconds,
			offered: statsAfter.published - statsBefore.published,
			acked: statsAfter.acknowledged - statsBefore.acknowledged,
			received: after.counts.received - before.counts.received,
			stored: after.counts.handled - before.counts.handled,
			backlogBefore: before.backlog,
			backlogAfter: after.backlog,
			alertsSent: sentIds.size,
			latenciesMs
		};
		steps.push(step);
		const knee = findKnee(steps);
		ctx.log(`stress step ${steps.length}: ${formatStep(knee.verdicts.at(-1)!)}`);
		if (knee.laggedAt) break;
	}

	// The last step may leave a backlog larger than the runner's settle time drains: wait for ingest
	// to take it all (bounded) before the runner checks that everything sent was stored.
	const drainUntil = Date.now() + DRAIN_MAX_MS;
	let left = (await backlog()).backlog;
	if (left > 0) ctx.log(`stress: waiting for ingest to drain a backlog of ${left}`);
	// Bounded, and given up after 10 s without progress (another consumer took messages, say).
	let progressAt = Date.now();
	while (left > 0 && Date.now() < drainUntil && Date.now() - progressAt < 10_000) {
		await sleep(250);
		const now = (await backlog()).backlog;
		if (now < left) progressAt = Date.now();
		left = now;
	}

	const knee = findKnee(steps);
	knee.verdicts.forEach((verdict, i) => ctx.note(`step ${i + 1}`, formatStep(verdict)));
	ctx.note('knee', knee.sentence);
	ctx.log(knee.sentence);
}

export const stress: Scenario = {
	name: 'stress',
	description: `doubles the event rate every ${STRESS_STEP_SECONDS} s until ingest lags, and reports where`,
	households: 30,
	speed: 1,
	startAt: '2026-11-29T03:00:00+08:00',
	minutes: 1,
	openEnded: true,
	run: runStress
};
