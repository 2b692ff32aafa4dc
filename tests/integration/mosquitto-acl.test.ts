/**
 * The Mosquitto files `npm run mqtt:acl` writes, on a real Mosquitto started by the test with the
 * shipped deploy/mosquitto/mosquitto.conf on a spare port (the machine's own Mosquitto on 1883 keeps
 * its stock config): a device logs in with its password and can neither publish as another device
 * nor read another device's commands.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { applyMigrations } from '../../src/lib/server/db/migrate';
import { ensurePostgis } from '../../src/lib/server/db/postgis';
import { mosquittoHash } from '../../src/lib/server/devices/credentials';
import { brokerHashes, registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { deviceTopic } from '../../src/lib/server/mqtt/contract';
import { mosquittoFiles } from '../../src/lib/server/mqtt/mosquitto-files';
import { seedDistrict } from '../../src/lib/server/regions/seed';
import { PROJECT_ROOT } from '../support/spawn-server';
import { waitFor } from '../support/wait';

const MOSQUITTO = '/usr/sbin/mosquitto';
const run = Date.now().toString(36);
const A = `T-MA-${run}`;
const B = `T-MB-${run}`;
const platform = { username: 'carecircle-platform', password: `pw-${run}` };

async function sparePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

describe.skipIf(!existsSync(MOSQUITTO))('Mosquitto with the generated password and ACL files', () => {
	let sql: Sql;
	let dir: string;
	let broker: ChildProcess;
	let url: string;
	let watcher: MqttClient;
	let secretA = '';
	const seen: string[] = [];

	beforeAll(async () => {
		sql = createSql(inject('databaseUrl'), { max: 1 });
		await ensurePostgis(sql);
		await applyMigrations(sql);
		await seedDistrict(sql, '350203');
		const householdId = await saveHousehold(sql, {
			externalId: `T-HM-${run}`,
			districtCode: '350203',
			residentName: 'ACL 测试',
			location: [118.09, 24.455],
			consent: true
		});
		secretA = (await registerDevice(sql, { id: A, householdId, kind: 'sos_button' })).secret;
		await registerDevice(sql, { id: B, householdId, kind: 'smoke' });

		dir = await mkdtemp(path.join(tmpdir(), 'carecircle-mosquitto-'));
		const files = mosquittoFiles(await brokerHashes(sql), {
			username: platform.username,
			brokerHash: mosquittoHash(platform.password)
		});
		await writeFile(path.join(dir, 'passwords'), files.passwords, { mode: 0o600 });
		await writeFile(path.join(dir, 'acl'), files.acl);
		const port = await sparePort();
		const shipped = await readFile(path.join(PROJECT_ROOT, 'deploy/mosquitto/mosquitto.conf'), 'utf8');
		const config = shipped
			.replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
			.replaceAll('/etc/mosquitto/carecircle/', `${dir}/`)
			.replace('/var/lib/mosquitto/', `${dir}/`)
			// Started as root, Mosquitto would drop to its own user, who cannot read the test's private files.
			.concat(process.getuid?.() === 0 ? '\nuser root\n' : '');
		await writeFile(path.join(dir, 'mosquitto.conf'), config);
		broker = spawn(MOSQUITTO, ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
		url = `mqtt://127.0.0.1:${port}`;
		watcher = await waitFor('Mosquitto to accept the platform', () =>
			mqtt
				.connectAsync(url, { ...platform, clientId: platform.username, reconnectPeriod: 0 })
				.catch(() => null)
		);
		await watcher.subscribeAsync('care/#', { qos: 1 });
		watcher.on('message', (topic) => seen.push(topic));
	});

	afterAll(async () => {
		await watcher?.endAsync();
		broker?.kill('SIGTERM');
		await sql?.end();
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	const connectDevice = (id: string, password: string) =>
		mqtt.connectAsync(url, { clientId: id, username: id, password, reconnectPeriod: 0 });

	it('refuses a wrong password and admits the device with its own', async () => {
		await expect(connectDevice(A, 'wrong')).rejects.toThrowError(/Bad User Name or Password|Not authorized/i);
		const device = await connectDevice(A, secretA);
		await device.publishAsync(deviceTopic('350203', A, 'event'), '{}', { qos: 1 });
		await waitFor('the platform to receive it', () => seen.includes(deviceTopic('350203', A, 'event')));
		await device.endAsync();
	});

	it('does not let a device publish under another device’s id', async () => {
		const device = await connectDevice(A, secretA);
		await device
			.publishAsync(deviceTopic('350203', B, 'event'), '{"spoof":true}', { qos: 1 })
			.catch(() => {});
		// A marker published after it arrives; the spoofed one never does.
		await device.publishAsync(deviceTopic('350203', A, 'telemetry'), '{}', { qos: 1 });
		await waitFor('the marker', () => seen.includes(deviceTopic('350203', A, 'telemetry')));
		expect(seen).not.toContain(deviceTopic('350203', B, 'event'));
		await device.endAsync();
	});

	it('delivers a device its own commands and not another device’s', async () => {
		const device = await connectDevice(A, secretA);
		const received: string[] = [];
		device.on('message', (topic) => received.push(topic));
		await device.subscribeAsync(deviceTopic('350203', A, 'cmd'), { qos: 1 });
		await device.subscribeAsync(deviceTopic('350203', B, 'cmd'), { qos: 1 }).catch(() => {});
		await watcher.publishAsync(deviceTopic('350203', B, 'cmd'), '{"for":"B"}', { qos: 1 });
		await watcher.publishAsync(deviceTopic('350203', A, 'cmd'), '{"for":"A"}', { qos: 1 });
		await waitFor('its own command', () => received.includes(deviceTopic('350203', A, 'cmd')));
		expect(received).not.toContain(deviceTopic('350203', B, 'cmd'));
		await device.endAsync();
	});
});
