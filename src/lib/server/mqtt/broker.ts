/**
 * The platform's MQTT side: an embedded aedes broker when no MQTT_URL is given, and the
 * platform's own MQTT.js client, connected to whichever broker is in use.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { StartupError, redactUrl } from '../errors';

export interface EmbeddedBroker {
	url: string;
	port: number;
	close(): Promise<void>;
}

/** Starts aedes on host:port (port 0 picks a free one). */
export async function startEmbeddedBroker(host: string, port: number): Promise<EmbeddedBroker> {
	const aedes = await Aedes.createBroker({ drainTimeout: 30_000 });
	const server: Server = createServer(aedes.handle);
	await new Promise<void>((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) =>
			reject(
				new StartupError(
					'MQTT_EMBEDDED_PORT',
					`Cannot start the embedded MQTT broker on ${host}:${port} (${error.code ?? error.message}); set MQTT_EMBEDDED_PORT to a free port or MQTT_URL to a broker`
				)
			)
		);
		server.listen(port, host, resolve);
	});
	const bound = (server.address() as AddressInfo).port;
	return {
		url: `mqtt://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`,
		port: bound,
		async close() {
			await new Promise<void>((resolve) => aedes.close(() => resolve()));
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

/**
 * Connects an MQTT.js client and waits for the first CONNACK; after that the client reconnects by itself.
 * MQTT 5 is preferred (shared subscriptions, reason codes); a 3.1.1-only broker such as aedes gets 3.1.1.
 * An unreachable broker is a StartupError naming the URL.
 */
export async function connectMqtt(
	url: string,
	options: { clientId: string; timeoutMs: number }
): Promise<MqttClient> {
	try {
		return await connectOnce(url, options, 5);
	} catch (error) {
		if (!/unacceptable protocol version/i.test((error as Error).message)) throw error;
		return await connectOnce(url, options, 4);
	}
}

async function connectOnce(
	url: string,
	options: { clientId: string; timeoutMs: number },
	protocolVersion: 4 | 5
): Promise<MqttClient> {
	const client = mqtt.connect(url, {
		clientId: options.clientId,
		protocolVersion,
		connectTimeout: options.timeoutMs,
		reconnectPeriod: 2000,
		clean: true
	});
	try {
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error(`no answer within ${options.timeoutMs} ms`)),
				options.timeoutMs
			);
			client.once('connect', () => {
				clearTimeout(timer);
				resolve();
			});
			client.once('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
		});
	} catch (error) {
		client.end(true);
		const reason =
			error instanceof Error ? error.message || (error as NodeJS.ErrnoException).code : String(error);
		if (/unacceptable protocol version/i.test(String(reason))) throw error;
		throw new StartupError(
			'MQTT_UNREACHABLE',
			`Cannot connect to the MQTT broker at ${redactUrl(url)} (${reason})`
		);
	}
	return client;
}
