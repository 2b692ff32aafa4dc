/**
 * A byte limit on the MQTT packets a client sends to the embedded broker. aedes (through mqtt-packet)
 * buffers a packet of whatever length its header announces (moscajs/aedes#831), so one client could
 * make it hold hundreds of megabytes. Mosquitto's `max_packet_size` closes the connection instead;
 * this does the same in front of aedes: it reads each packet's fixed header as the bytes go by and
 * fails the stream as soon as one announces more than the limit.
 */
import { Duplex, Transform, type TransformCallback } from 'node:stream';
import type { Socket } from 'node:net';

/** The same limit as `max_packet_size` in deploy/mosquitto/mosquitto.conf: the whole packet, headers included. */
export const MAX_PACKET_BYTES = 65_536;

export class PacketTooLargeError extends Error {
	constructor(
		readonly bytes: number,
		limit: number
	) {
		super(`MQTT packet of ${bytes} bytes exceeds the ${limit}-byte limit`);
	}
}

/**
 * Passes MQTT packets through unchanged while each is at most `limit` bytes; the first larger one
 * fails the stream with a PacketTooLargeError (the packets before it get through).
 */
export class PacketSizeGuard extends Transform {
	/** Bytes of the current packet's body still to pass; -1 while reading a fixed header. */
	private bodyLeft = -1;
	/** The fixed header read so far: its first byte seen, and the remaining length's digits. */
	private headerBytes = 0;
	private remaining = 0;
	private multiplier = 1;

	constructor(private readonly limit = MAX_PACKET_BYTES) {
		super();
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		let at = 0;
		/** Where the packet being read began in this chunk (0 when it began in an earlier one). */
		let start = 0;
		while (at < chunk.length) {
			if (this.bodyLeft > 0) {
				const skipped = Math.min(this.bodyLeft, chunk.length - at);
				this.bodyLeft -= skipped;
				at += skipped;
				continue;
			}
			if (this.headerBytes === 0) start = at;
			const byte = chunk[at++];
			this.headerBytes++;
			// The first byte is the packet type; then the remaining length, 7 bits a byte (MQTT 3.1.1 §2.2.3).
			if (this.headerBytes === 1) continue;
			this.remaining += (byte & 0x7f) * this.multiplier;
			this.multiplier *= 128;
			if (byte & 0x80 && this.headerBytes < 5) continue;
			const bytes = this.headerBytes + this.remaining;
			if (bytes > this.limit) {
				this.push(chunk.subarray(0, start));
				return callback(new PacketTooLargeError(bytes, this.limit));
			}
			this.bodyLeft = this.remaining;
			this.headerBytes = 0;
			this.remaining = 0;
			this.multiplier = 1;
		}
		callback(null, chunk);
	}
}

/** The socket as aedes should see it: what it reads has passed the guard, what it writes goes straight out. */
export function guardPacketSize(socket: Socket, limit = MAX_PACKET_BYTES): Duplex {
	const guard = new PacketSizeGuard(limit);
	socket.pipe(guard);
	// The pair reports the error to aedes (which drops the client) but leaves the socket open.
	guard.once('error', () => socket.destroy());
	return Duplex.from({ readable: guard, writable: socket });
}
