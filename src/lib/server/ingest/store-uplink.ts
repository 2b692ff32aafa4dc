/**
 * Files one validated uplink message: events are stored once (device id + event id), alerting
 * events raise or join the household's incident, telemetry and status update the device.
 * Everything for one message happens in one transaction.
 */
import type { IncidentSummary } from '../../realtime/events';
import { DEFAULT_SEVERITY, alertOfEvent } from '../alerts/alert-kinds';
import { raiseAlert } from '../alerts/incidents';
import type { Sql } from '../db/client';
import type { IngestDevice } from '../devices/registry';
import type { UplinkMessage } from '../mqtt/contract';

export interface StoreResult {
	/** False when the message repeats one already stored (a broker redelivery). */
	stored: boolean;
	incident?: { incident: IncidentSummary; opened: boolean };
}

export async function storeUplink(
	sql: Sql,
	device: IngestDevice,
	message: UplinkMessage
): Promise<StoreResult> {
	return sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const base = {
			householdId: device.householdId,
			districtCode: device.districtCode,
			communityCode: device.communityCode,
			location: device.location,
			actor: `device:${device.id}`
		};
		if (message.kind === 'event') {
			const p = message.payload;
			const inserted = await tx`
				insert into device_events (device_id, event_id, type, occurred_at, payload)
				values (${device.id}, ${p.eventId}, ${p.type}, ${p.at}, ${tx.json(p as never)})
				on conflict (device_id, event_id) do nothing
				returning event_id`;
			await tx`update devices set last_seen = now(), online = true, lost_contact_at = null where id = ${device.id}`;
			if (inserted.length === 0) return { stored: false };
			const alert = alertOfEvent(p.type);
			if (!alert) return { stored: true };
			const raised = await raiseAlert(tx, {
				...base,
				...alert,
				at: new Date(p.at),
				detail: { deviceId: device.id, eventId: p.eventId, type: p.type, confidence: p.confidence ?? null }
			});
			await tx`update device_events set incident_id = ${raised.incident.id}
				where device_id = ${device.id} and event_id = ${p.eventId}`;
			return { stored: true, incident: raised };
		}
		if (message.kind === 'telemetry') {
			const p = message.payload;
			await tx`
				update devices set last_seen = now(), online = true, lost_contact_at = null,
					battery = coalesce(${p.battery ?? null}::real, battery), rssi = coalesce(${p.rssi ?? null}::int, rssi)
				where id = ${device.id}`;
			return { stored: true };
		}
		const p = message.payload;
		const [before] = await tx`select online from devices where id = ${device.id} for update`;
		await tx`
			update devices set online = ${p.state === 'online'},
				last_seen = case when ${p.state} = 'online' then now() else last_seen end,
				lost_contact_at = case when ${p.state} = 'online' then null else lost_contact_at end,
				firmware = coalesce(${p.firmware ?? null}, firmware), heartbeat_s = coalesce(${p.heartbeatS ?? null}::int, heartbeat_s)
			where id = ${device.id}`;
		// A last-will "offline" is an alert at once; a repeated one while already offline is not.
		if (p.state === 'offline' && before?.online) {
			const raised = await raiseAlert(tx, {
				...base,
				kind: 'device_offline',
				severity: DEFAULT_SEVERITY.device_offline,
				at: p.at ? new Date(p.at) : new Date(),
				detail: { deviceId: device.id }
			});
			return { stored: true, incident: raised };
		}
		return { stored: true };
	});
}

export async function storeDeadLetter(
	sql: Sql,
	letter: { topic: string; clientId: string | null; payload: Uint8Array; reason: string }
): Promise<void> {
	await sql`
		insert into dead_letters (topic, client_id, payload, reason)
		values (${letter.topic}, ${letter.clientId}, ${Buffer.from(letter.payload)}, ${letter.reason})`;
}
