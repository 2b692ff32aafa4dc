/**
 * Downlink to the home: when a dispatcher acknowledges an incident, every device of the household
 * that can show or say something is told that help is coming (the `cmd` topic of the contract).
 */
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import type { IncidentSummary } from '../../realtime/events';
import type { Sql } from '../db/client';
import { deviceTopic, type CmdPayload } from '../../mqtt/contract';

/** Spoken or shown on the device; the residents read Chinese. */
const HELP_COMING_TEXT = '已收到您的求助，工作人员正在处理';

export async function tellHelpIsComing(
	sql: Sql,
	client: MqttClient,
	incident: IncidentSummary
): Promise<string[]> {
	const devices = await sql<{ id: string }[]>`
		select id from devices where household_id = ${incident.householdId} and retired_at is null order by id`;
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
	return devices.map((d) => d.id);
}
