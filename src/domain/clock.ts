/** The current time in milliseconds; one place so that tests can reason about "now". */
export const now = (): number => Date.now();

export const DAY = 24 * 60 * 60 * 1000;
