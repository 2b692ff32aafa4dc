/**
 * Runs `task` at most once per `intervalMs`: the first call at once, calls within the interval as one
 * trailing run at its end. The console uses it so a burst of incident updates becomes one refetch.
 */
export interface Throttled {
	(): void;
	cancel(): void;
}

export function throttle(task: () => void, intervalMs: number): Throttled {
	let last = -Infinity;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const run = () => {
		timer = undefined;
		last = Date.now();
		task();
	};
	const call = () => {
		if (timer !== undefined) return;
		const wait = last + intervalMs - Date.now();
		if (wait <= 0) run();
		else timer = setTimeout(run, wait);
	};
	call.cancel = () => {
		clearTimeout(timer);
		timer = undefined;
	};
	return call;
}
