import { describe, expect, inject, it } from 'vitest';
import { spawnServer } from '../support/spawn-server';

describe('the process entry', () => {
	it('runs only the roles it is given and exits 0 on SIGTERM after closing its connections', async () => {
		const child = spawnServer({
			DATABASE_URL: inject('databaseUrl'),
			MQTT_URL: inject('mqttUrl'),
			ROLES: 'ingest,timers'
		});
		let output = '';
		child.stdout!.on('data', (chunk) => (output += chunk));
		child.stderr!.on('data', (chunk) => (output += chunk));
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`not running after 60 s:\n${output}`)), 60_000);
			child.stdout!.on('data', () => {
				if (output.includes('CareCircle is running (roles: ingest, timers')) {
					clearTimeout(timer);
					resolve();
				}
			});
			child.once('exit', (code) => reject(new Error(`exited early with ${code}:\n${output}`)));
		});
		expect(output).not.toContain('ready at http');
		const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
		expect(output).toContain('"msg":"stopped"');
	});
});
