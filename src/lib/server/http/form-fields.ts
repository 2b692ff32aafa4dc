/** A form field as trimmed text; a missing field (or a file where text was expected) is ''. */
export function formText(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.trim() : '';
}
