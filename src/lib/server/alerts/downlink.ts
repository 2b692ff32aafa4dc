/**
 * Downlink to the home: when a dispatcher first answers an incident (acknowledging it, or assigning
 * a responder straight away), every device of the household that can show or say something is told
 * that help is coming (the `cmd` topic of the contract), and the incident's timeline records it so
 * the dispatcher sees what the household was told. Called by the console commands
 * (src/lib/server/realtime/socket-server.ts) after the action committed.
 */
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import type { IncidentSummary } from '../../realtime/events';
import type { Sql } from '../db/client';
import { deviceTopic, type CmdPayload, type DeviceKind } from '../../mqtt/contract';

/** Spoken or shown on the device; the residents read Chinese. */
const HELP_COMING_TEXT = '已收到您的求助，工作人员正在处理';

/**
 * Worn or pressed devices with a speaker, screen or vibration. Room sensors (smoke, gas, water leak,
 * door, inactivity, bed vitals) have no way to tell the resident anything.
 */
export const DEVICES_THAT_SPEAK: readonly DeviceKind[] = ['sos_button', 'gps_watch', 'fall_detector'];

/** Sends the command and writes it on the timeline as `actor`; returns the devices it went to. */
export async function tellHelpIsComing(
	sql: Sql,
	client: MqttClient,
	incident: Pick<IncidentSummary, 'id' | 'householdId' | 'districtCode'>,
	actor: string
): Promise<string[]> {
	const devices = await sql<{ id: string }[]>`
		select id from devices
		where household_id = ${incident.householdId} and retired_at is null
			and kind = any(${sql.array([...DEVICES_THAT_SPEAK])}::text[])
		order by id`;
	if (devices.length === 0) return [];
	const command: CmdPayload = {
		v: 1,
		cmdId: randomUUID(),
		type: 'help_coming',
		at: new Date().toISOString(),
		text: HELP_COMING_TEXT
	};
	await Promise.all(
		devices.map((d) =>
			client.publishAsync(deviceTopic(incident.districtCode, d.id, 'cmd'), JSON.stringify(command), {
				qos: 1
			})
		)
	);
	const deviceIds = devices.map((d) => d.id);
	await sql`
		insert into incident_events (incident_id, actor, action, detail)
		values (${incident.id}, ${actor}, 'downlink_sent',
			${sql.json({ type: command.type, cmdId: command.cmdId, deviceIds, text: command.text })})`;
	return deviceIds;
}
