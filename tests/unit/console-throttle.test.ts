import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from '../../src/lib/console/throttle';

describe('throttle', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('runs the first call at once and a burst after it once, at the end of the interval', () => {
		const task = vi.fn();
		const refresh = throttle(task, 2000);
		refresh();
		expect(task).toHaveBeenCalledTimes(1);
		refresh();
		refresh();
		refresh();
		expect(task).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(1999);
		expect(task).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(1);
		expect(task).toHaveBeenCalledTimes(2);
	});

	it('runs at once again after a quiet interval', () => {
		const task = vi.fn();
		const refresh = throttle(task, 2000);
		refresh();
		vi.advanceTimersByTime(5000);
		refresh();
		expect(task).toHaveBeenCalledTimes(2);
	});

	it('drops a pending run when cancelled', () => {
		const task = vi.fn();
		const refresh = throttle(task, 2000);
		refresh();
		refresh();
		refresh.cancel();
		vi.advanceTimersByTime(5000);
		expect(task).toHaveBeenCalledTimes(1);
	});
});
