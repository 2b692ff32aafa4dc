/**
 * A simulated dispatcher at a console, for demos and runs without a person at /console: it
 * acknowledges each new incident after a short delay and offers it to the nearest proposed
 * responder (`incident:act`, `incident:assign` over socket.io, as the console does). After that the
 * platform asks the next responder itself when one declines or does not answer in time.
 */
import { io, type Socket } from 'socket.io-client';
import type {
	ClientToServerEvents,
	CommandResult,
	IncidentDetail,
	IncidentSummary,
	ServerToClientEvents
} from '../../src/lib/realtime/events';
import type { Random } from '../random';
import { platformFetch, socketAuth } from '../platform-session';

export interface SimulatedDispatcher {
	stop(): void;
	stats: { acknowledged: number; assigned: number; refused: number };
}

export async function startDispatcher(options: {
	url: string;
	districtCode: string;
	speed: number;
	random: Random;
	log: (line: string) => void;
}): Promise<SimulatedDispatcher> {
	const { url, districtCode, speed, random, log } = options;
	const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
		transports: ['websocket'],
		auth: socketAuth(url)
	});
	const stats = { acknowledged: 0, assigned: 0, refused: 0 };
	const timers = new Set<ReturnType<typeof setTimeout>>();
	const handled = new Set<number>();
	const act = (incidentId: number) =>
		new Promise<CommandResult<IncidentSummary>>((resolve) =>
			socket.emit('incident:act', { incidentId, action: 'acknowledge' }, resolve)
		);
	const assign = (incidentId: number, responderId: number) =>
		new Promise<CommandResult<IncidentSummary>>((resolve) =>
			socket.emit('incident:assign', { incidentId, responderId }, resolve)
		);

	const dispatch = async (incident: IncidentSummary) => {
		if (incident.state === 'new') {
			const ack = await act(incident.id);
			if (ack.ok) stats.acknowledged++;
		}
		const response = await platformFetch(
			new URL(`/api/districts/${districtCode}/incidents/${incident.id}`, url)
		);
		if (!response.ok) return;
		const detail = (await response.json()) as IncidentDetail;
		const nearest = detail.proposals.find((p) => p.responder.status === 'available' && p.responder.onShift);
		if (!nearest) return log(`dispatcher: nobody free for incident ${incident.id}`);
		const result = await assign(incident.id, nearest.responder.id);
		if (result.ok) {
			stats.assigned++;
			log(
				`dispatcher: offered incident ${incident.id} to ${nearest.responder.name} (${Math.round(nearest.seconds)} s away)`
			);
		} else {
			stats.refused++;
			log(`dispatcher: incident ${incident.id} not assigned: ${result.code} ${result.message}`);
		}
	};

	const consider = (incident: IncidentSummary) => {
		if (handled.has(incident.id) || incident.responder || !['new', 'acknowledged'].includes(incident.state))
			return;
		handled.add(incident.id);
		// A dispatcher reads the alert for a few seconds before acting.
		const timer = setTimeout(
			() => {
				timers.delete(timer);
				dispatch(incident).catch((error) => log(`dispatcher: incident ${incident.id}: ${error}`));
			},
			(random.between(3, 15) * 1000) / speed
		);
		timers.add(timer);
	};
	socket.on('incident:opened', consider);
	socket.on('incident:updated', consider);
	await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
	return {
		stats,
		stop() {
			for (const timer of timers) clearTimeout(timer);
			socket.disconnect();
		}
	};
}
