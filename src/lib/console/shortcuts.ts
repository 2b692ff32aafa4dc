/**
 * The console's keyboard shortcuts, listed in the help line (console.keys). Letters work with Caps
 * Lock on; a key held down or pressed with Ctrl/Alt/⌘ (browser shortcuts) does nothing here.
 */
export type Shortcut =
	| 'previous'
	| 'next'
	| 'acknowledge'
	| 'assignFirst'
	| 'depart'
	| 'arrive'
	| 'resolve'
	| 'falseAlarm'
	| 'escalate'
	| 'assign1'
	| 'assign2'
	| 'assign3'
	| 'close';

const KEYS: Record<string, Shortcut> = {
	arrowup: 'previous',
	arrowdown: 'next',
	a: 'acknowledge',
	s: 'assignFirst',
	d: 'depart',
	o: 'arrive',
	r: 'resolve',
	f: 'falseAlarm',
	e: 'escalate',
	'1': 'assign1',
	'2': 'assign2',
	'3': 'assign3',
	escape: 'close'
};

/** Shortcuts that change an incident: never repeated by a key held down. */
const COMMANDS: readonly Shortcut[] = [
	'acknowledge',
	'assignFirst',
	'depart',
	'arrive',
	'resolve',
	'falseAlarm',
	'escalate',
	'assign1',
	'assign2',
	'assign3'
];

/**
 * Which proposal (0-based) a number key assigns, or null for other shortcuts.
 * @example proposalIndexOf('assign2') // 1
 */
export function proposalIndexOf(shortcut: Shortcut): number | null {
	const match = /^assign(\d)$/.exec(shortcut);
	return match ? Number(match[1]) - 1 : null;
}

/**
 * The shortcut a key press stands for, or null.
 * @example shortcutOf({ key: 'A', repeat: false, ctrlKey: false, altKey: false, metaKey: false }) // 'acknowledge'
 */
export function shortcutOf(
	event: Pick<KeyboardEvent, 'key' | 'repeat' | 'ctrlKey' | 'altKey' | 'metaKey'>
): Shortcut | null {
	if (event.ctrlKey || event.altKey || event.metaKey) return null;
	const shortcut = KEYS[event.key.toLowerCase()] ?? null;
	if (shortcut && event.repeat && COMMANDS.includes(shortcut)) return null;
	return shortcut;
}

/** Key presses in a text field, a select or an open dialog belong to them, not to the console. */
export function ownsKeys(target: EventTarget | null): boolean {
	if (!(target instanceof HTMLElement)) return false;
	return (
		target instanceof HTMLInputElement ||
		target instanceof HTMLTextAreaElement ||
		target instanceof HTMLSelectElement ||
		target.isContentEditable ||
		target.closest('dialog[open]') !== null
	);
}
