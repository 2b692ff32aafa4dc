/**
 * One simulated responder: a phone that hears offers over socket.io, answers after a human delay,
 * walks the street network to the home while reporting its position, and reports departure,
 * arrival and the outcome over HTTP. Time is compressed by `speed` (10 = ten times faster).
 */
import { io, type Socket } from 'socket.io-client';
import type {
	ClientToServerEvents,
	IncidentSummary,
	ResponderSummary,
	ServerToClientEvents
} from '../../src/lib/realtime/events';
import { decideOffer, decideVisit, departDelaySeconds, type DecisionOdds } from './behaviour';
import { PlatformError, type PlatformApi } from './platform-api';
import type { Random } from '../random';
import { planRoute, positionAt, routeSeconds, type LonLat, type StreetGraph } from './street-path';
import { socketAuth } from '../platform-session';

export interface ResponderStats {
	registered: number;
	offers: number;
	accepted: number;
	declined: number;
	/** Offers left unanswered, for the platform's accept window to skip. */
	ignored: number;
	departed: number;
	arrived: number;
	resolved: number;
	/** Jobs ended by someone else (a dispatcher closed the incident, or the offer was taken back). */
	withdrawn: number;
	positions: number;
	errors: number;
	outcomes: Record<string, number>;
}

export function emptyStats(): ResponderStats {
	return {
		registered: 0,
		offers: 0,
		accepted: 0,
		declined: 0,
		ignored: 0,
		departed: 0,
		arrived: 0,
		resolved: 0,
		withdrawn: 0,
		positions: 0,
		errors: 0,
		outcomes: {}
	};
}

export interface ResponderContext {
	url: string;
	api: PlatformApi;
	graph: StreetGraph | null;
	speed: number;
	stats: ResponderStats;
	log: (line: string) => void;
	odds?: DecisionOdds;
}

const CLOSED = ['resolved', 'false_alarm'];
/** A phone reports its position every 10 s on the way, and every 5 min while waiting. */
const WALKING_REPORT_S = 10;
const IDLE_REPORT_S = 300;

type Phase = 'idle' | 'offered' | 'working';

export class SimulatedResponder {
	private phase: Phase = 'idle';
	private incidentId: number | null = null;
	private position: LonLat;
	private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
	/** The steps of the current job. */
	private timers = new Set<ReturnType<typeof setTimeout>>();
	private heartbeat: ReturnType<typeof setInterval> | null = null;
	/** Bumped whenever a job ends, so that steps scheduled for it do nothing. */
	private generation = 0;
	private stopped = false;

	constructor(
		readonly responder: ResponderSummary,
		private readonly context: ResponderContext,
		private readonly random: Random
	) {
		this.position = responder.location ?? [0, 0];
	}

	get id() {
		return this.responder.id;
	}

	/** Listens for offers, and catches up on those made while it was not connected. */
	start(): Promise<void> {
		const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.context.url, {
			transports: ['websocket'],
			auth: socketAuth(this.context.url),
			reconnectionDelay: 500
		});
		this.socket = socket;
		socket.on('incident:opened', (incident) => this.hear(incident));
		socket.on('incident:updated', (incident) => this.hear(incident));
		socket.on('connect', () => {
			this.context.api.openIncidents().then(
				(incidents) => incidents.forEach((incident) => this.hear(incident)),
				(error) => this.fail('catching up on open incidents', error)
			);
		});
		this.heartbeat = setInterval(() => {
			if (this.phase !== 'working')
				this.report(this.position).catch((error) => this.fail('position report', error));
		}, this.wallMs(IDLE_REPORT_S));
		return new Promise((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error(`no socket.io connection to ${this.context.url}`)),
				15_000
			);
			socket.once('connect', () => {
				clearTimeout(timer);
				resolve();
			});
		});
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.endJob();
		if (this.heartbeat) clearInterval(this.heartbeat);
		this.socket?.disconnect();
		// Off duty, so nobody is offered a job by a phone that no longer answers (refused while busy).
		await this.context.api.duty(this.id, 'off').catch(() => undefined);
	}

	private hear(incident: IncidentSummary) {
		if (this.stopped) return;
		const mine = incident.responder?.id === this.id;
		if (this.phase === 'idle') {
			if (mine && incident.responder?.assignment === 'offered' && !CLOSED.includes(incident.state))
				this.offered(incident);
			return;
		}
		if (incident.id !== this.incidentId) return;
		if (!mine || CLOSED.includes(incident.state)) {
			// Our offer timed out, someone else took the incident, or a dispatcher closed it.
			if (this.phase === 'offered') this.say(`no longer offered incident ${incident.id}`);
			else {
				this.context.stats.withdrawn++;
				this.say(`incident ${incident.id} ended without us (${incident.state})`);
			}
			this.endJob();
		}
	}

	private offered(incident: IncidentSummary) {
		const { stats } = this.context;
		stats.offers++;
		this.phase = 'offered';
		this.incidentId = incident.id;
		const decision = decideOffer(this.random, this.context.odds);
		if (decision.answer === 'ignore') {
			stats.ignored++;
			this.say(`offered incident ${incident.id}: does not see it`);
			return;
		}
		this.later(decision.afterSeconds, async () => {
			if (decision.answer === 'decline') {
				this.endJob();
				await this.context.api.step(this.id, incident.id, { action: 'decline' });
				stats.declined++;
				this.say(`declined incident ${incident.id}`);
				return;
			}
			await this.context.api.step(this.id, incident.id, { action: 'accept' });
			stats.accepted++;
			this.phase = 'working';
			this.say(`accepted incident ${incident.id} after ${Math.round(decision.afterSeconds)} s`);
			this.later(departDelaySeconds(this.random), () => this.walkTo(incident));
		});
	}

	private async walkTo(incident: IncidentSummary) {
		const { api, stats, graph } = this.context;
		await api.step(this.id, incident.id, { action: 'depart' });
		stats.departed++;
		const route = planRoute(graph, this.position, incident.location);
		const total = routeSeconds(route);
		this.say(
			`on the way to incident ${incident.id}: ${Math.round(route.meters)} m, ${Math.round(total / 60)} min (${route.method})`
		);
		let walked = 0;
		const generation = this.generation;
		const step = async () => {
			if (generation !== this.generation) return;
			walked = Math.min(total, walked + WALKING_REPORT_S);
			await this.report(positionAt(route, walked));
			if (walked < total) return this.later(Math.min(WALKING_REPORT_S, total - walked), step);
			await this.arrive(incident);
		};
		this.later(Math.min(WALKING_REPORT_S, total), step);
	}

	private async arrive(incident: IncidentSummary) {
		const { api, stats } = this.context;
		await api.step(this.id, incident.id, { action: 'arrive' });
		stats.arrived++;
		const visit = decideVisit(this.random);
		this.say(`on scene at incident ${incident.id}`);
		this.later(visit.onSceneSeconds, async () => {
			// The job ends here, so the push of the closed incident is not taken for someone else closing it.
			this.endJob();
			await api.step(this.id, incident.id, { action: 'resolve', outcome: visit.outcome });
			stats.resolved++;
			stats.outcomes[visit.outcome] = (stats.outcomes[visit.outcome] ?? 0) + 1;
			this.say(`resolved incident ${incident.id}: ${visit.outcome}`);
		});
	}

	private endJob() {
		this.generation++;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.phase = 'idle';
		this.incidentId = null;
	}

	private async report(position: LonLat) {
		this.position = position;
		await this.context.api.position(this.id, position);
		this.context.stats.positions++;
	}

	/** Runs `step` after `simulatedSeconds`; a failure ends the job (the platform said no, or is away). */
	private later(simulatedSeconds: number, step: () => Promise<void> | void) {
		const generation = this.generation;
		const timer = setTimeout(async () => {
			this.timers.delete(timer);
			if (this.stopped || generation !== this.generation) return;
			try {
				await step();
			} catch (error) {
				this.fail(`incident ${this.incidentId}`, error);
				if (generation === this.generation) this.endJob();
			}
		}, this.wallMs(simulatedSeconds));
		this.timers.add(timer);
	}

	private wallMs(simulatedSeconds: number) {
		return Math.max(20, (simulatedSeconds * 1000) / this.context.speed);
	}

	private fail(what: string, error: unknown) {
		if (this.stopped) return;
		this.context.stats.errors++;
		const reason = error instanceof PlatformError ? error.message : String(error);
		this.say(`${what}: ${reason}`);
	}

	private say(line: string) {
		this.context.log(`[${this.responder.name} #${this.id}] ${line}`);
	}
}
