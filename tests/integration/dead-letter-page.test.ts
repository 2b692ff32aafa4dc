/**
 * What operators and monitoring read of the dead-letter table: each letter's kind of fault from its
 * reason, every payload the contract admits kept whole (16 KiB), a longer one cut to its first 16 KiB
 * with its size kept, and the page's filters by kind,
 * device or topic text and day, in pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/db/client';
import {
	DEAD_LETTERS_PER_PAGE,
	KEPT_PAYLOAD_BYTES,
	deadLettersByKind,
	findDeadLetters
} from '../../src/lib/server/ingest/dead-letters';
import { storeDeadLetters } from '../../src/lib/server/ingest/store-uplink';
import { MAX_PAYLOAD_BYTES, validateUplink } from '../../src/lib/mqtt/contract';
import { refusePublish } from '../../src/lib/server/mqtt/device-acl';
import { prepareDatabase } from '../support/database';

const run = Date.now().toString(36);
const device = `T-DL-${run}`;
const topic = `care/350203/devices/${device}/event`;
const reasonOf = (payload: string) => {
	const result = validateUplink('event', Buffer.from(payload));
	if (result.ok) throw new Error('expected a refusal');
	return result.reason;
};

let sql: Sql;

beforeAll(async () => {
	sql = await prepareDatabase();
	await storeDeadLetters(sql, [
		{ topic, clientId: null, payload: Buffer.alloc(70_000, 0x7b), reason: reasonOf('{'.repeat(70_000)) },
		{ topic, clientId: null, payload: Buffer.from('{"v":1'), reason: reasonOf('{"v":1') },
		// The largest payload the contract admits, refused for what it says: kept whole.
		{
			topic,
			clientId: null,
			payload: Buffer.alloc(MAX_PAYLOAD_BYTES, 0x5b),
			reason: reasonOf('['.repeat(MAX_PAYLOAD_BYTES))
		},
		{ topic, clientId: null, payload: Buffer.from('{"v":1}'), reason: reasonOf('{"v":1}') },
		{
			topic: `care/350203/devices/T-OTHER-${run}/event`,
			clientId: device,
			payload: Buffer.from('{}'),
			reason: refusePublish(device, `care/350203/devices/T-OTHER-${run}/event`)!
		},
		...Array.from({ length: DEAD_LETTERS_PER_PAGE + 5 }, () => ({
			topic: `care/350203/devices/T-NOBODY-${run}/event`,
			clientId: null,
			payload: Buffer.from('{}'),
			reason: `unknown device T-NOBODY-${run}`
		}))
	]);
});

afterAll(async () => {
	await sql?.end();
});

describe('dead letters as operators read them', () => {
	it('keeps a payload of up to 16 KiB whole, and the first 16 KiB of a longer one with its size', async () => {
		expect(KEPT_PAYLOAD_BYTES).toBe(16 * 1024);
		const { letters } = await findDeadLetters(sql, { kind: 'not_json', text: device, page: 1 });
		const whole = letters.find((l) => l.size === MAX_PAYLOAD_BYTES)!;
		expect(whole.payload).toHaveLength(MAX_PAYLOAD_BYTES);
		expect(Buffer.from(whole.payload).every((b) => b === 0x5b)).toBe(true);
		const long = await findDeadLetters(sql, { kind: 'oversized', text: device, page: 1 });
		expect(long.letters).toHaveLength(1);
		expect(long.letters[0].size).toBe(70_000);
		expect(long.letters[0].payload).toHaveLength(KEPT_PAYLOAD_BYTES);
		expect(Buffer.from(long.letters[0].payload).every((b) => b === 0x7b)).toBe(true);
	});

	it('tells the kind of each fault from the reason its producer wrote', async () => {
		const kinds = async (text: string) =>
			(await findDeadLetters(sql, { text, page: 1 })).letters.map((l) => l.kind).sort();
		expect(await kinds(device)).toEqual(['foreign_device', 'not_json', 'not_json', 'oversized', 'schema']);
		const counts = new Map((await deadLettersByKind(sql)).map((k) => [k.kind, k.count]));
		expect(counts.get('unknown_device')).toBeGreaterThanOrEqual(DEAD_LETTERS_PER_PAGE + 5);
	});

	it('filters by kind, by a device id in the topic or the client, and by day, in pages', async () => {
		const client = await findDeadLetters(sql, { kind: 'foreign_device', text: device, page: 1 });
		expect(client.letters.map((l) => l.clientId)).toEqual([device]);
		const unknown = { kind: 'unknown_device' as const, text: `T-NOBODY-${run}` };
		const first = await findDeadLetters(sql, { ...unknown, page: 1 });
		expect(first).toMatchObject({ total: DEAD_LETTERS_PER_PAGE + 5, page: 1, pageCount: 2 });
		const second = await findDeadLetters(sql, { ...unknown, page: 2 });
		expect(second.letters).toHaveLength(5);
		expect(Math.max(...second.letters.map((l) => l.id))).toBeLessThan(
			Math.min(...first.letters.map((l) => l.id))
		);
		// A page past the last shows the last.
		expect((await findDeadLetters(sql, { ...unknown, page: 9 })).page).toBe(2);
		const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
		expect((await findDeadLetters(sql, { text: device, day: today, page: 1 })).total).toBe(5);
		expect((await findDeadLetters(sql, { text: device, day: '2020-01-01', page: 1 })).total).toBe(0);
		// LIKE's wildcards in the text are plain characters.
		expect((await findDeadLetters(sql, { text: '%', page: 1 })).total).toBe(0);
	});
});
