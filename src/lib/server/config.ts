/**
 * Every setting of the process, read from the environment once and validated.
 * Unset services fall back to embedded defaults (PGlite, aedes) so a fresh machine runs with no setup.
 */
import { z } from 'zod';
import { CRS_NAMES, type Crs } from '../geo/crs';
import { redactUrl } from './errors';

export const ROLE_NAMES = ['web', 'ingest', 'timers'] as const;
export type Role = (typeof ROLE_NAMES)[number];

const optionalText = z
	.string()
	.trim()
	.transform((value) => (value === '' ? undefined : value))
	.optional();

const urlWithProtocols = (protocols: string[]) =>
	optionalText.refine(
		(value) => {
			if (value === undefined) return true;
			try {
				return protocols.includes(new URL(value).protocol);
			} catch {
				return false;
			}
		},
		{ message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` }
	);

const portNumber = z.coerce
	.number({ message: 'must be a port number' })
	.int('must be a whole number')
	.min(0, 'must be between 0 and 65535')
	.max(65535, 'must be between 0 and 65535');

const port = (fallback: number) => portNumber.default(fallback);

/** A port that may be left unset (or empty). */
const optionalPort = z.preprocess(
	(value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
	portNumber.optional()
);

const positiveMilliseconds = (fallback: number) =>
	z.coerce.number({ message: 'must be a number of milliseconds' }).int().positive().default(fallback);

const SEVERITY_NAMES = ['critical', 'high', 'medium', 'low'] as const;
export type SecondsBySeverity = Record<(typeof SEVERITY_NAMES)[number], number>;

/** `critical=60,high=180,medium=600,low=1800`: a number of seconds for each severity. */
const secondsBySeverity = (fallback: string) =>
	z
		.string()
		.default(fallback)
		.transform((value, ctx): SecondsBySeverity => {
			const pairs = value.split(',').map((pair) => pair.trim().split('='));
			const found = Object.fromEntries(pairs.map(([name, seconds]) => [name, Number(seconds)]));
			const ok =
				pairs.every(([name]) => (SEVERITY_NAMES as readonly string[]).includes(name)) &&
				SEVERITY_NAMES.every((name) => Number.isInteger(found[name]) && found[name] > 0);
			if (!ok) {
				ctx.addIssue({
					code: 'custom',
					message: `must give whole seconds for each of ${SEVERITY_NAMES.join(', ')}, like ${fallback}`
				});
				return z.NEVER;
			}
			return found as SecondsBySeverity;
		});

/**
 * The ingest acknowledges after each commit with its own PUBACK writes, so one connection carries
 * many messages of a batch and a few connections beat many: with the ingest benchmark's burst, 4–8
 * stored 12,000–13,300 events/s where 128 stored 10,800–11,200, alternating in the same runs.
 */
export const DEFAULT_INGEST_CONNECTIONS = 8;

const schema = z.object({
	HOST: z.string().trim().min(1).default('0.0.0.0'),
	PORT: port(3000),
	METRICS_PORT: optionalPort,
	ROLES: z
		.string()
		.default(ROLE_NAMES.join(','))
		.transform((value, ctx): Role[] => {
			const roles = [
				...new Set(
					value
						.split(',')
						.map((role) => role.trim())
						.filter(Boolean)
				)
			];
			const unknown = roles.filter((role) => !(ROLE_NAMES as readonly string[]).includes(role));
			if (roles.length === 0 || unknown.length > 0) {
				ctx.addIssue({
					code: 'custom',
					message: `must be a comma-separated list of ${ROLE_NAMES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`
				});
				return z.NEVER;
			}
			return roles as Role[];
		}),
	DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:']),
	DATA_DIR: z.string().trim().min(1).default('./data'),
	MQTT_URL: urlWithProtocols(['mqtt:', 'mqtts:', 'ws:', 'wss:']),
	REDIS_URL: urlWithProtocols(['redis:', 'rediss:']),
	REDIS_KEY_PREFIX: z
		.string()
		.trim()
		.regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'must be 1 to 64 letters, digits or _ : . -')
		.default('carecircle'),
	NODE_NAME: optionalText.refine((value) => value === undefined || /^[A-Za-z0-9_.-]{1,64}$/.test(value), {
		message: 'must be 1 to 64 letters, digits or _ . - (a stable name such as ingest-1)'
	}),
	MQTT_USERNAME: optionalText,
	MQTT_PASSWORD: optionalText,
	MQTT_EMBEDDED_HOST: z.string().trim().min(1).default('127.0.0.1'),
	MQTT_EMBEDDED_PORT: port(18830),
	MQTT_CONNECT_TIMEOUT_MS: positiveMilliseconds(5000),
	DISTRICT_CODE: z
		.string()
		.trim()
		.regex(/^\d{6}$/, 'must be a 6-digit county-level statistical code such as 350203')
		.default('350203'),
	SEED_DISTRICT_DATA: z
		.enum(['true', 'false'], { message: 'must be true or false' })
		.default('true')
		.transform((value) => value === 'true'),
	BASEMAP_STYLE: urlWithProtocols(['http:', 'https:']),
	PUBLIC_ORIGIN: urlWithProtocols(['http:', 'https:']),
	BASEMAP_CRS: z.enum(CRS_NAMES, { message: `must be one of ${CRS_NAMES.join(', ')}` }).default('wgs84'),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	SHUTDOWN_TIMEOUT_MS: positiveMilliseconds(10000),
	SUPERVISION_INTERVAL_MS: positiveMilliseconds(5000),
	INGEST_CONNECTIONS: z.coerce
		.number({ message: 'must be a whole number from 1 to 1024' })
		.int()
		.min(1, 'must be a whole number from 1 to 1024')
		.max(1024, 'must be a whole number from 1 to 1024')
		.default(DEFAULT_INGEST_CONNECTIONS),
	INGEST_PEER_SILENCE_S: z.coerce
		.number({ message: 'must be a whole number of seconds from 1 to 3600' })
		.int('must be a whole number of seconds from 1 to 3600')
		.min(1, 'must be a whole number of seconds from 1 to 3600')
		.max(3600, 'must be a whole number of seconds from 1 to 3600')
		.default(15),
	SLA_ACK_S: secondsBySeverity('critical=60,high=180,medium=600,low=1800'),
	SLA_ON_SCENE_S: secondsBySeverity('critical=900,high=1800,medium=3600,low=7200'),
	OFFER_ACCEPT_S: z.coerce.number({ message: 'must be a number of seconds' }).int().positive().default(60),
	DEMO: z
		.enum(['1', '0', 'true', 'false'], { message: 'must be 1 or 0' })
		.optional()
		.transform((value) => (value === undefined ? undefined : value === '1' || value === 'true')),
	DEMO_ACCOUNTS: z
		.enum(['1', '0', 'true', 'false'], { message: 'must be 1 or 0' })
		.optional()
		.transform((value) => (value === undefined ? undefined : value === '1' || value === 'true')),
	DEMO_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional()
});

export interface Config {
	host: string;
	port: number;
	/**
	 * A process without the web role serves `/metrics` and `/api/health` on this port (0 picks a free
	 * one); unset, it opens no port. Web nodes serve both through the app.
	 */
	metricsPort: number | undefined;
	roles: Role[];
	databaseUrl: string | undefined;
	dataDir: string;
	mqttUrl: string | undefined;
	/**
	 * Redis for the socket.io adapter: pushes made by any process (web, ingest, timers) reach the
	 * consoles on every web node. Unset, pushes stay inside this process (one node).
	 */
	redisUrl: string | undefined;
	/** Prefix of the adapter's pub/sub channels, so several deployments can share one Redis. */
	redisKeyPrefix: string;
	/**
	 * A stable name for this process (`ingest-1`). With it, the ingest connections keep their MQTT
	 * sessions across a crash: what was in flight waits at the broker until the process is back
	 * under the same name. Unset: host name and process id, with sessions ending with the process.
	 */
	nodeName: string | undefined;
	/** The platform's own login at a real broker (the embedded one makes its own per run). */
	mqttUsername: string | undefined;
	mqttPassword: string | undefined;
	mqttEmbeddedHost: string;
	mqttEmbeddedPort: number;
	mqttConnectTimeoutMs: number;
	districtCode: string;
	seedDistrictData: boolean;
	basemapStyle: string | undefined;
	/**
	 * The public address printed into QR door plates (`${origin}/a/{code}`): a plate outlives any one
	 * server's address. Unset, the origin of the request that renders the plate is used.
	 */
	publicOrigin: string | undefined;
	/** The datum of the basemap's tiles; overlays are shifted into it for display (AMap-style tiles are GCJ-02). */
	basemapCrs: Crs;
	logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
	shutdownTimeoutMs: number;
	/** How often the timers role looks for silent devices. */
	supervisionIntervalMs: number;
	/** MQTT connections an ingest process opens in the shared subscription; their messages share one batch. */
	ingestConnections: number;
	/**
	 * A named ingest worker whose heartbeat is older than this is taken for dead: another named
	 * worker drains its MQTT sessions (ingest/peer-drain.ts). Each beats three times per period.
	 */
	ingestPeerSilenceS: number;
	/** The SLA: acknowledge within, and a responder on scene within, these seconds of opening. */
	sla: { ackS: SecondsBySeverity; onSceneS: SecondsBySeverity };
	/** How long a responder has to accept an offered incident before the next one is asked. */
	offerAcceptS: number;
	/**
	 * Run a small simulated fleet (and responders) against this process once it is ready, for
	 * newcomers: on by default with the embedded database, off with DATABASE_URL.
	 */
	demo: boolean;
	/**
	 * Create (or reset) one account per role at start and print their logins: on with the demo.
	 * All get DEMO_PASSWORD when it is set (tests), a fresh random password each otherwise.
	 */
	demoAccounts: { password: string | undefined } | null;
}

/** A setting that failed validation; the message is one line naming the variable and what it expects. */
export class ConfigError extends Error {
	readonly code = 'CONFIG_INVALID';
}

/**
 * Reads and validates the configuration.
 * @example loadConfig({ PORT: '8080' }).port === 8080
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const parsed = schema.safeParse(env);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => {
			const name = String(issue.path[0] ?? 'environment');
			const given = env[name];
			return `${name} ${issue.message}${given !== undefined ? ` (got "${redactUrl(given)}")` : ''}`;
		});
		throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
	}
	const e = parsed.data;
	return {
		host: e.HOST,
		port: e.PORT,
		metricsPort: e.METRICS_PORT,
		roles: e.ROLES,
		databaseUrl: e.DATABASE_URL,
		dataDir: e.DATA_DIR,
		mqttUrl: e.MQTT_URL,
		redisUrl: e.REDIS_URL,
		redisKeyPrefix: e.REDIS_KEY_PREFIX,
		nodeName: e.NODE_NAME,
		mqttUsername: e.MQTT_USERNAME,
		mqttPassword: e.MQTT_PASSWORD,
		mqttEmbeddedHost: e.MQTT_EMBEDDED_HOST,
		mqttEmbeddedPort: e.MQTT_EMBEDDED_PORT,
		mqttConnectTimeoutMs: e.MQTT_CONNECT_TIMEOUT_MS,
		districtCode: e.DISTRICT_CODE,
		seedDistrictData: e.SEED_DISTRICT_DATA,
		basemapStyle: e.BASEMAP_STYLE,
		basemapCrs: e.BASEMAP_CRS,
		publicOrigin: e.PUBLIC_ORIGIN?.replace(/\/+$/, ''),
		logLevel: e.LOG_LEVEL,
		shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
		supervisionIntervalMs: e.SUPERVISION_INTERVAL_MS,
		ingestConnections: e.INGEST_CONNECTIONS,
		ingestPeerSilenceS: e.INGEST_PEER_SILENCE_S,
		sla: { ackS: e.SLA_ACK_S, onSceneS: e.SLA_ON_SCENE_S },
		offerAcceptS: e.OFFER_ACCEPT_S,
		// On by default only for a newcomer's embedded database, never into a real one unasked.
		demo: e.DEMO ?? !e.DATABASE_URL,
		demoAccounts: (e.DEMO_ACCOUNTS ?? e.DEMO ?? !e.DATABASE_URL) ? { password: e.DEMO_PASSWORD } : null
	};
}
