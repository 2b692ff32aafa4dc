/** Structured JSON logs (pino), one namespace per subsystem; never log personal data or query parameters. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
	return pino({ level, base: { service: 'carecircle', ...base }, timestamp: pino.stdTimeFunctions.isoTime });
}
