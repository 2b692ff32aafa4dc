import { describe, expect, it } from 'vitest';
import { shortcutOf } from '../../src/lib/console/shortcuts';

const press = (key: string, extra: Partial<KeyboardEvent> = {}) =>
	shortcutOf({ key, repeat: false, ctrlKey: false, altKey: false, metaKey: false, ...extra });

describe('shortcutOf', () => {
	it('maps the keys of the help line to their commands', () => {
		expect(press('ArrowUp')).toBe('previous');
		expect(press('ArrowDown')).toBe('next');
		expect(press('a')).toBe('acknowledge');
		expect(press('s')).toBe('assignFirst');
		expect(press('d')).toBe('depart');
		expect(press('o')).toBe('arrive');
		expect(press('r')).toBe('resolve');
		expect(press('f')).toBe('falseAlarm');
		expect(press('Escape')).toBe('close');
	});

	it('works with Caps Lock on', () => {
		expect(press('A')).toBe('acknowledge');
	});

	it('leaves browser shortcuts alone', () => {
		expect(press('r', { ctrlKey: true })).toBeNull();
		expect(press('f', { metaKey: true })).toBeNull();
		expect(press('d', { altKey: true })).toBeNull();
	});

	it('does not repeat a command while its key is held, but keeps moving through the queue', () => {
		expect(press('a', { repeat: true })).toBeNull();
		expect(press('ArrowDown', { repeat: true })).toBe('next');
	});

	it('ignores other keys', () => {
		expect(press('x')).toBeNull();
		expect(press('Enter')).toBeNull();
	});
});
