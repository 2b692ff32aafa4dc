/**
 * The order in which the embedded database serves its connections, and two fixes to PGlite's wire
 * protocol. PGlite is one backend session shared by every connection, so a connection keeps the
 * session from the first message of a unit of work to its end: an extended-protocol sequence
 * (Bind, Execute…) up to its Sync, and a whole transaction. pglite-socket's own queue keeps only
 * transactions together, so after a failed statement another connection's messages were skipped.
 * And PGlite answers an error inside a sequence with ReadyForQuery at once and then runs the rest of
 * the sequence, where PostgreSQL skips to the Sync and answers ReadyForQuery once: postgres.js, which
 * pipelines, then paired every later answer on that connection with the query before it.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';

const SYNC_TYPE = 0x53;
/** Frontend message types that end a unit of work: Sync, a simple Query, Terminate. */
const UNIT_ENDS = new Set([SYNC_TYPE, 0x51, 0x58]);
/** A Sync message: resets the backend after a connection left in the middle of a sequence. */
const SYNC = new Uint8Array([SYNC_TYPE, 0, 0, 0, 4]);
const ERROR_RESPONSE = 0x45;
const READY_FOR_QUERY = 0x5a;

/** Whether the message ends a unit of work; a startup or SSL request has no type byte (its first byte is 0). */
const endsUnit = (message: Uint8Array) => message[0] === 0 || UNIT_ENDS.has(message[0]);

/** Whether the connection that sent `message` keeps the session for its next message. */
export function keepsSession(message: Uint8Array, inTransaction: boolean): boolean {
	return inTransaction || !endsUnit(message);
}

/**
 * The backend's answer to a message inside a sequence as PostgreSQL gives it: after an
 * ErrorResponse, no ReadyForQuery (that comes with the Sync). `failed` says the sequence failed.
 */
export function withoutReadyAfterError(answer: Uint8Array): { answer: Uint8Array; failed: boolean } {
	const kept: Uint8Array[] = [];
	let failed = false;
	for (let at = 0; at + 5 <= answer.length;) {
		const length = 1 + new DataView(answer.buffer, answer.byteOffset + at + 1, 4).getInt32(0);
		const message = answer.subarray(at, at + length);
		if (message[0] === ERROR_RESPONSE) failed = true;
		if (!(failed && message[0] === READY_FOR_QUERY)) kept.push(message);
		at += length;
	}
	if (!failed) return { answer, failed };
	const joined = new Uint8Array(kept.reduce((sum, m) => sum + m.length, 0));
	kept.reduce((offset, m) => (joined.set(m, offset), offset + m.length), 0);
	return { answer: joined, failed };
}

interface QueuedMessage {
	connection: number;
	message: Uint8Array;
	onData(data: Uint8Array): void;
	resolve(bytes: number): void;
	reject(error: unknown): void;
}

/** Drop-in for pglite-socket's queue (same public methods), serving whole units of work. */
export class UnitOfWorkQueue {
	private readonly waiting: QueuedMessage[] = [];
	private serving = false;
	/** The connection in the middle of a unit of work: only its messages are served. */
	private holder: number | null = null;
	/** The holder's sequence failed: its messages up to the Sync are skipped, as PostgreSQL does. */
	private skippingToSync = false;

	constructor(private readonly db: PGlite) {}

	enqueue(connection: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
		return new Promise((resolve, reject) => {
			this.waiting.push({ connection, message, onData, resolve, reject });
			void this.serve();
		});
	}

	getQueueLength(): number {
		return this.waiting.length;
	}

	clearQueueForHandler(connection: number): void {
		for (let i = this.waiting.length - 1; i >= 0; i--) {
			if (this.waiting[i].connection !== connection) continue;
			this.waiting.splice(i, 1)[0].reject(new Error('connection closed'));
		}
	}

	/** A connection that left mid-way: end its sequence and roll back its transaction, then go on. */
	async clearTransactionIfNeeded(connection: number): Promise<void> {
		if (this.holder !== connection) return;
		await this.db.runExclusive(async () => {
			await this.db.execProtocolRawStream(SYNC, { onRawData: () => {} });
			if (this.db.isInTransaction()) await this.db.exec('rollback');
		});
		this.holder = null;
		this.skippingToSync = false;
		await this.serve();
	}

	private async serve(): Promise<void> {
		if (this.serving) return;
		this.serving = true;
		try {
			while (this.waiting.length > 0) {
				const next = this.holder === null ? 0 : this.waiting.findIndex((m) => m.connection === this.holder);
				// The holder has not sent its next message yet: the others wait for it.
				if (next === -1) break;
				const [queued] = this.waiting.splice(next, 1);
				try {
					queued.resolve(await this.run(queued));
				} catch (error) {
					queued.reject(error);
				}
			}
		} finally {
			this.serving = false;
		}
	}

	/** Runs one message, passing its answer on; returns the answer's size. */
	private async run({ connection, message, onData }: QueuedMessage): Promise<number> {
		if (this.skippingToSync && message[0] !== SYNC_TYPE) return 0;
		this.skippingToSync = false;
		// Inside a sequence the answer is held whole, to take out PGlite's early ReadyForQuery.
		const held: Uint8Array[] = [];
		let bytes = 0;
		await this.db.runExclusive(() =>
			this.db.execProtocolRawStream(message, {
				onRawData: (data) => {
					if (endsUnit(message)) {
						bytes += data.length;
						onData(data);
					} else held.push(data.slice());
				}
			})
		);
		if (held.length > 0) {
			const joined = Buffer.concat(held);
			const { answer, failed } = withoutReadyAfterError(joined);
			this.skippingToSync = failed;
			bytes = answer.length;
			if (bytes > 0) onData(answer);
		}
		this.holder = keepsSession(message, this.db.isInTransaction()) ? connection : null;
		return bytes;
	}
}

/** The queue as the type pglite-socket's handler expects (its class is not exported). */
export const asSocketQueue = (queue: UnitOfWorkQueue) =>
	queue as unknown as PGLiteSocketHandlerOptions['queryQueue'];
