/**
 * The platform's MQTT side: an embedded aedes broker when no MQTT_URL is given, and the
 * platform's own MQTT.js client, connected to whichever broker is in use.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { refusesMqtt5 } from '../../mqtt/protocol-version';
import { StartupError, redactUrl } from '../errors';
import { verifyCredential } from '../devices/credentials';
import { maySubscribe, refusePublish } from './device-acl';
import { guardPacketSize } from './packet-size-guard';

/** Who may use the embedded broker: the platform's own processes, and registered devices. */
export interface BrokerAccess {
	platform: { username: string; password: string };
	/** The stored credential hash of a device, or null for an unknown device. */
	credentialHashOf(deviceId: string): Promise<string | null>;
	/** Called for a publish the ACL refused (the broker then drops the client, as MQTT 3.1.1 asks). */
	onRefusedPublish(refusal: { clientId: string; topic: string; payload: Buffer; reason: string }): void;
}

const PLATFORM = Symbol('platform client');

/**
 * The embedded brokers running in this process. Without MQTT_URL the platform is one process, so the
 * device pages that retire a device or rotate its password reach its live connection through here.
 */
const running = new Set<Map<string, Client>>();

/**
 * Closes the connection of client `clientId` (a device's id) on every embedded broker of this process,
 * so a retired device or an old password stops working at once, not at the next reconnect. A no-op
 * with an external broker (MQTT_URL): Mosquitto drops it when it reloads its files (README).
 */
export function disconnectEmbeddedClient(clientId: string): void {
	for (const clients of running) clients.get(clientId)?.close();
}

function badCredentials(): AuthenticateError {
	const error = new Error('bad user name or password') as AuthenticateError;
	error.returnCode = 4;
	return error;
}

export interface EmbeddedBroker {
	url: string;
	port: number;
	close(): Promise<void>;
}

/**
 * Starts aedes on host:port (port 0 picks a free one). With `access`, every client must log in:
 * the platform with its credential, a device with its id as both client id and user name and its
 * own password; devices are then held to their own topics. A client that sends a packet larger than
 * MAX_PACKET_BYTES is disconnected, as Mosquitto's max_packet_size does.
 */
export async function startEmbeddedBroker(
	host: string,
	port: number,
	access?: BrokerAccess
): Promise<EmbeddedBroker> {
	const aedes = await Aedes.createBroker({ drainTimeout: 30_000 });
	if (access) guardBroker(aedes, access);
	const clients = new Map<string, Client>();
	aedes.on('client', (client) => clients.set(client.id, client));
	aedes.on('clientDisconnect', (client) => {
		if (clients.get(client.id) === client) clients.delete(client.id);
	});
	running.add(clients);
	const server: Server = createServer((socket) => aedes.handle(guardPacketSize(socket)));
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
			running.delete(clients);
			await new Promise<void>((resolve) => aedes.close(() => resolve()));
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

function guardBroker(aedes: Aedes, access: BrokerAccess): void {
	const isPlatform = (client: object | null) =>
		client !== null && (client as { [PLATFORM]?: boolean })[PLATFORM] === true;
	aedes.authenticate = (client, username, password, callback) => {
		const secret = password?.toString('utf8') ?? '';
		if (username === access.platform.username) {
			const ok = secret === access.platform.password;
			if (ok) (client as unknown as { [PLATFORM]: boolean })[PLATFORM] = true;
			return callback(ok ? null : badCredentials(), ok);
		}
		if (!username || username !== client.id) return callback(badCredentials(), false);
		access
			.credentialHashOf(username)
			.then((hash) => (hash ? verifyCredential(secret, hash) : false))
			.then(
				(ok) => callback(ok ? null : badCredentials(), ok),
				() => callback(badCredentials(), false)
			);
	};
	aedes.authorizePublish = (client, packet, callback) => {
		if (client === null || isPlatform(client)) return callback(null);
		const reason = refusePublish(client.id, packet.topic);
		if (!reason) return callback(null);
		access.onRefusedPublish({
			clientId: client.id,
			topic: packet.topic,
			payload: Buffer.from(packet.payload),
			reason
		});
		callback(new Error(reason));
	};
	aedes.authorizeSubscribe = (client, subscription, callback) => {
		if (isPlatform(client) || maySubscribe(client.id, subscription.topic))
			return callback(null, subscription);
		callback(null, null);
	};
}

/**
 * Connects an MQTT.js client and waits for the first CONNACK; after that the client reconnects by itself.
 * MQTT 5 is preferred (shared subscriptions, reason codes); a 3.1.1-only broker such as aedes gets 3.1.1.
 * An unreachable broker is a StartupError naming the URL.
 */
export interface MqttConnectOptions {
	clientId: string;
	timeoutMs: number;
	username?: string;
	password?: string;
	/**
	 * MQTT 5: keep the session (its subscriptions and unacknowledged messages) this long after the
	 * connection drops, so a process restarted under the same client id receives what was in flight.
	 * Unset: a clean session that ends with the connection.
	 */
	sessionExpiryS?: number;
	/** Installed before the connection opens, so no message reaches MQTT.js's default (acknowledging) handler. */
	handleMessage?: MqttClient['handleMessage'];
	/**
	 * false: a connection that drops stays closed. A drain of another process's session must not
	 * take the session back from that process when it returns (ingest/peer-drain.ts).
	 */
	reconnect?: boolean;
}

export async function connectMqtt(url: string, options: MqttConnectOptions): Promise<MqttClient> {
	try {
		return await connectOnce(url, options, 5);
	} catch (error) {
		if (!refusesMqtt5(error)) throw error;
		return await connectOnce(url, options, 4);
	}
}

async function connectOnce(
	url: string,
	options: MqttConnectOptions,
	protocolVersion: 4 | 5
): Promise<MqttClient> {
	const client = mqtt.connect(url, {
		clientId: options.clientId,
		username: options.username,
		password: options.password,
		protocolVersion,
		connectTimeout: options.timeoutMs,
		reconnectPeriod: options.reconnect === false ? 0 : 2000,
		clean: !(options.sessionExpiryS && protocolVersion === 5),
		...(options.sessionExpiryS && protocolVersion === 5
			? { properties: { sessionExpiryInterval: options.sessionExpiryS } }
			: {})
	});
	if (options.handleMessage) client.handleMessage = options.handleMessage;
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
		if (refusesMqtt5(error)) throw error;
		throw new StartupError(
			'MQTT_UNREACHABLE',
			`Cannot connect to the MQTT broker at ${redactUrl(url)} (${reason})`
		);
	}
	return client;
}
