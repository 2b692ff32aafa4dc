import { describe, expect, it } from 'vitest';
import {
	ingestClientIds,
	isDrained,
	silentPeerToDrain,
	type PeerWorker
} from '../../src/lib/server/ingest/silent-peers';

const worker = (nodeName: string, silentS: number, claim?: [string, number | null]): PeerWorker => ({
	nodeName,
	connections: 4,
	silentS,
	drainedBy: claim?.[0] ?? null,
	claimerSilentS: claim?.[1] ?? null
});
const judge = { self: 'ingest-1', silenceS: 15, beatingForS: 60 };

describe('silentPeerToDrain', () => {
	it('picks a peer silent past the limit and leaves those that beat within it', () => {
		expect(silentPeerToDrain([worker('ingest-2', 3), worker('ingest-3', 16)], judge)?.nodeName).toBe(
			'ingest-3'
		);
		expect(silentPeerToDrain([worker('ingest-2', 3), worker('ingest-3', 15)], judge)).toBeUndefined();
	});

	it('never picks the worker itself', () => {
		expect(silentPeerToDrain([worker('ingest-1', 100)], judge)).toBeUndefined();
	});

	it('takes the longest silent peer first', () => {
		expect(silentPeerToDrain([worker('ingest-2', 20), worker('ingest-3', 90)], judge)?.nodeName).toBe(
			'ingest-3'
		);
	});

	it('leaves a peer that a live worker is draining', () => {
		expect(silentPeerToDrain([worker('ingest-2', 60, ['ingest-3', 2])], judge)).toBeUndefined();
	});

	it('takes a peer again when its claimer went silent too or is gone', () => {
		expect(silentPeerToDrain([worker('ingest-2', 60, ['ingest-3', 20])], judge)?.nodeName).toBe('ingest-2');
		expect(silentPeerToDrain([worker('ingest-2', 60, ['ingest-3', null])], judge)?.nodeName).toBe('ingest-2');
	});

	it('takes a peer again on a leftover claim of its own', () => {
		expect(silentPeerToDrain([worker('ingest-2', 60, ['ingest-1', 1])], judge)?.nodeName).toBe('ingest-2');
	});

	it('judges nobody before its own heartbeats have gone through for a whole silence limit', () => {
		expect(silentPeerToDrain([worker('ingest-2', 600)], { ...judge, beatingForS: 14 })).toBeUndefined();
	});
});

describe('ingestClientIds', () => {
	it('names the client ids a worker opens for its ingest connections', () => {
		expect(ingestClientIds('ingest-2', 3)).toEqual([
			'carecircle-ingest-2-ingest-0',
			'carecircle-ingest-2-ingest-1',
			'carecircle-ingest-2-ingest-2'
		]);
	});
});

describe('isDrained', () => {
	it('waits while a message is being stored, however long ago it came', () => {
		expect(isDrained({ pending: 1, lastMessageAt: 0, now: 10_000, quietMs: 2000 })).toBe(false);
	});

	it('waits until nothing came for the quiet time, then calls the session empty', () => {
		expect(isDrained({ pending: 0, lastMessageAt: 9000, now: 10_000, quietMs: 2000 })).toBe(false);
		expect(isDrained({ pending: 0, lastMessageAt: 8000, now: 10_000, quietMs: 2000 })).toBe(true);
	});
});
