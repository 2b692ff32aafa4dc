import { describe, expect, it } from 'vitest';
import { proposalIndexOf, shortcutOf } from '../../src/lib/console/shortcuts';

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
		expect(press('e')).toBe('escalate');
		expect(press('Escape')).toBe('close');
	});

	it('assigns the first, second or third proposal with the number keys', () => {
		expect(press('1')).toBe('assign1');
		expect(press('3')).toBe('assign3');
		expect(press('4')).toBeNull();
		expect(proposalIndexOf('assign1')).toBe(0);
		expect(proposalIndexOf('assign3')).toBe(2);
		expect(proposalIndexOf('escalate')).toBeNull();
	});

	it('does not repeat an assignment or an escalation while the key is held', () => {
		expect(press('1', { repeat: true })).toBeNull();
		expect(press('e', { repeat: true })).toBeNull();
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
