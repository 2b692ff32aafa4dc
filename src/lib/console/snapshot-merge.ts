/**
 * Keeping a console's lists right when a snapshot (an HTTP read after a reconnect) and pushes
 * (socket.io) cross. The server pushes after every change, in order, so replaying over the snapshot
 * every push that arrived while it was in flight ends on the newest state: a push older than the
 * snapshot is always followed by the push of the change that made the snapshot newer.
 */

/** `list` with `item` put in place of the entry with its id (or added), or without it when `leaves`. */
export function replaceById<T extends { id: number }>(list: T[], item: T, leaves = false): T[] {
	const others = list.filter((entry) => entry.id !== item.id);
	if (leaves) return others;
	return others.length === list.length
		? [...list, item]
		: list.map((entry) => (entry.id === item.id ? item : entry));
}

/**
 * The snapshot with the pushes received while it was being read replayed over it, in arrival order.
 *
 * @example
 * replayOverSnapshot([{ id: 1, state: 'new' }], [{ id: 2, state: 'new' }, { id: 1, state: 'resolved' }],
 *   (i) => i.state === 'resolved') // → [{ id: 2, state: 'new' }]
 */
export function replayOverSnapshot<T extends { id: number }>(
	snapshot: T[],
	pushes: readonly T[],
	leaves: (item: T) => boolean = () => false
): T[] {
	return pushes.reduce((list, item) => replaceById(list, item, leaves(item)), snapshot);
}

/** Records what arrives while a read is in flight, for as many overlapping reads as there are. */
export class PushesDuringRead<T> {
	private readonly open = new Set<T[]>();

	record(item: T) {
		for (const received of this.open) received.push(item);
	}

	/** Runs `read` and returns its answer with everything recorded while it ran. */
	async around<R>(read: () => Promise<R>): Promise<{ answer: R; received: T[] }> {
		const received: T[] = [];
		this.open.add(received);
		try {
			return { answer: await read(), received };
		} finally {
			this.open.delete(received);
		}
	}
}
