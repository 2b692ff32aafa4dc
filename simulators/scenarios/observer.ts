/**
 * What a scenario watches the platform through, as an operator would: a console on socket.io for
 * the incident pushes, /metrics for the ingest counters, and the incidents API. Used by runner.ts.
 */
import { io, type Socket } from 'socket.io-client';
import type { IncidentDetail, IncidentSummary, ServerToClientEvents } from '../../src/lib/realtime/events';
import { parsePrometheus } from './summary';
import { platformFetch, socketAuth } from '../platform-session';

/** A push as received, before it is known whose household it is. */
export interface RawPush {
	incident: IncidentSummary;
	opened: boolean;
	receivedAt: number;
}

export interface Observer {
	pushes: RawPush[];
	/** Metric totals summed over label sets; null when /metrics is not served. */
	metrics(): Promise<Map<string, number> | null>;
	openIncidents(): Promise<IncidentSummary[]>;
	/** A household's external id by its platform id, read once from an incident's detail (an audited read, as a console's). */
	externalIdOf(incident: IncidentSummary): Promise<string>;
	close(): void;
}

export async function startObserver(url: string, districtCode: string): Promise<Observer> {
	const base = url.replace(/\/+$/, '');
	const get = async (path: string): Promise<Response> => {
		const response = await platformFetch(`${base}${path}`, { headers: { 'cache-control': 'no-store' } });
		if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
		return response;
	};
	const socket: Socket<ServerToClientEvents> = io(base, {
		transports: ['websocket'],
		auth: socketAuth(base)
	});
	const pushes: RawPush[] = [];
	socket.on('incident:opened', (incident) => pushes.push({ incident, opened: true, receivedAt: Date.now() }));
	socket.on('incident:updated', (incident) =>
		pushes.push({ incident, opened: false, receivedAt: Date.now() })
	);
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no socket.io hello from ${base} within 10 s`)), 10_000);
		socket.once('server:hello', () => {
			clearTimeout(timer);
			resolve();
		});
	});
	const households = new Map<number, Promise<string>>();
	return {
		pushes,
		async metrics() {
			const response = await fetch(`${base}/metrics`);
			return response.ok ? parsePrometheus(await response.text()) : null;
		},
		async openIncidents() {
			return (await (await get(`/api/districts/${districtCode}/incidents`)).json()) as IncidentSummary[];
		},
		externalIdOf(incident) {
			let known = households.get(incident.householdId);
			if (!known) {
				known = get(`/api/districts/${districtCode}/incidents/${incident.id}`)
					.then((r) => r.json() as Promise<IncidentDetail>)
					.then((detail) => detail.household.externalId);
				// A failed read is tried again next time rather than remembered.
				known.catch(() => households.delete(incident.householdId));
				households.set(incident.householdId, known);
			}
			return known;
		},
		close() {
			socket.close();
		}
	};
}
