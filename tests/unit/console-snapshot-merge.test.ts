import { describe, expect, it } from 'vitest';
import { PushesDuringRead, replaceById, replayOverSnapshot } from '../../src/lib/console/snapshot-merge';

interface Row {
	id: number;
	state: string;
}
const closed = (row: Row) => row.state === 'resolved';

describe('a console snapshot crossed by pushes', () => {
	it('keeps an incident pushed while the snapshot was read, though the snapshot predates it', () => {
		const snapshot: Row[] = [{ id: 1, state: 'new' }];
		expect(replayOverSnapshot(snapshot, [{ id: 2, state: 'new' }], closed)).toEqual([
			{ id: 1, state: 'new' },
			{ id: 2, state: 'new' }
		]);
	});

	it('ends on the last push of an incident and drops one that closed meanwhile', () => {
		const snapshot: Row[] = [
			{ id: 1, state: 'new' },
			{ id: 2, state: 'acknowledged' }
		];
		const pushes: Row[] = [
			{ id: 1, state: 'acknowledged' },
			{ id: 1, state: 'assigned' },
			{ id: 2, state: 'resolved' }
		];
		expect(replayOverSnapshot(snapshot, pushes, closed)).toEqual([{ id: 1, state: 'assigned' }]);
	});

	it('replaces an entry in place and adds an unknown one at the end', () => {
		const list: Row[] = [
			{ id: 1, state: 'a' },
			{ id: 2, state: 'b' }
		];
		expect(replaceById(list, { id: 1, state: 'c' })).toEqual([
			{ id: 1, state: 'c' },
			{ id: 2, state: 'b' }
		]);
		expect(replaceById(list, { id: 3, state: 'd' }).map((r) => r.id)).toEqual([1, 2, 3]);
		expect(replaceById(list, { id: 2, state: 'b' }, true)).toEqual([{ id: 1, state: 'a' }]);
	});

	it('records only what arrives while a read is in flight, for each of overlapping reads', async () => {
		const pushes = new PushesDuringRead<Row>();
		pushes.record({ id: 9, state: 'before' });
		let finishFirst!: (rows: Row[]) => void;
		const first = pushes.around(() => new Promise<Row[]>((resolve) => (finishFirst = resolve)));
		pushes.record({ id: 1, state: 'during both' });
		const second = await pushes.around(async () => {
			pushes.record({ id: 2, state: 'during the second' });
			return [];
		});
		finishFirst([]);
		const firstDone = await first;
		pushes.record({ id: 3, state: 'after' });
		expect(firstDone.received.map((r) => r.id)).toEqual([1, 2]);
		expect(second.received.map((r) => r.id)).toEqual([2]);
	});
});
