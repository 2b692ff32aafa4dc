/**
 * Count-dependent messages: the catalogue holds `<key>.one` and `<key>.other`, and the locale's
 * plural rules pick one (Chinese has one form, so both of its entries say the same).
 */
import type { Locale, MessageKey } from '../i18n/messages';

/** Keys that exist in a `.one` / `.other` pair. */
type PluralBase<K = MessageKey> = K extends `${infer Base}.one` ? Base : never;

const rules = new Map<Locale, Intl.PluralRules>();

/**
 * @example pluralKey('en', 'console.alerts', 1) // 'console.alerts.one'
 */
export function pluralKey(locale: Locale, base: PluralBase, count: number): MessageKey {
	let rule = rules.get(locale);
	if (!rule) rules.set(locale, (rule = new Intl.PluralRules(locale)));
	return `${base}.${rule.select(count) === 'one' ? 'one' : 'other'}` as MessageKey;
}
