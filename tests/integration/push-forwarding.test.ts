/**
 * The one place that turns domain events into console pushes, on a real socket.io server on port 0
 * with a real client: what every process (web node or relay) broadcasts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentSummary } from '../../src/lib/realtime/events';
import { DomainEvents } from '../../src/lib/server/events';
import { incidentRooms } from '../../src/lib/server/auth/realtime-access';
import { forwardDomainEvents } from '../../src/lib/server/realtime/push-forwarding';
import { waitFor } from '../support/wait';

const incident = (districtCode: string, alertCount: number) =>
	({ id: 7, districtCode, communityCode: null, alertCount }) as unknown as IncidentSummary;
/** The room of a console that sees the whole district. */
const wholeDistrict = (districtCode: string) => incidentRooms({ districtCode, communityCode: null })[0];

const closers: (() => void)[] = [];
afterEach(() => {
	for (const close of closers.splice(0).reverse()) close();
});

async function consoleIn(room: string) {
	const httpServer = http.createServer();
	const io = new Server(httpServer);
	io.on('connection', (socket) => socket.join(room));
	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	const client = connect(`http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`, {
		transports: ['websocket']
	});
	closers.push(() => {
		client.disconnect();
		io.close();
	});
	const got: [string, number][] = [];
	client.on('incident:opened', (i: IncidentSummary) => got.push(['opened', i.alertCount]));
	client.on('incident:updated', (i: IncidentSummary) => got.push(['updated', i.alertCount]));
	await waitFor('the console to join its room', () => io.sockets.adapter.rooms.get(room)?.size === 1);
	return { io, got };
}

describe('forwarding domain events to consoles', () => {
	it('sends an incident to its district room, opened then updated, and stops when told', async () => {
		const events = new DomainEvents();
		const { io, got } = await consoleIn(wholeDistrict('350203'));
		const stop = forwardDomainEvents(io, events);
		events.emit('incident:changed', incident('350203', 1), true);
		events.emit('incident:changed', incident('350206', 1), true);
		events.emit('incident:changed', incident('350203', 2), false);
		await waitFor('two pushes', () => got.length === 2);
		stop();
		events.emit('incident:changed', incident('350203', 3), false);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(got).toEqual([
			['opened', 1],
			['updated', 2]
		]);
	});
});
