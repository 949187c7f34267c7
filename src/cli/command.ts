// What every command shares, kept free of imports so that `mpandco --help` loads nothing else.

export type Command = { usage: string; run: (argv: string[]) => Promise<number> };

export class UsageError extends Error {}
