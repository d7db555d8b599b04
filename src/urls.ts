/** The links the operator hands out; shared by the web pages and the `kith` command. */
export const setupUrl = (origin: string, token: string) => `${origin}/setup/${token}`;
export const inviteUrl = (origin: string, token: string) => `${origin}/join/${token}`;
export const resetUrl = (origin: string, token: string) => `${origin}/reset/${token}`;
