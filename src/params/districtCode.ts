import type { ParamMatcher } from '@sveltejs/kit';

/** A 6-digit county-level statistical code such as 350203. */
export const match: ParamMatcher = (param) => /^\d{6}$/.test(param);
