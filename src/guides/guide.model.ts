// Integration guides as data: each step is a curl command and the answer it gives. The page
// shows both; test/guides/guides.test.ts runs every command with the real curl against a real
// sandbox and checks the answer, so a guide cannot drift from the platform. A few steps are done
// on the app's pages instead (a `PageStep`): the test does the same through the service the page
// calls, so the curl steps after it see what the reader would.

export type Lang = 'es' | 'en';
export type Text = Record<Lang, string>;

/**
 * A value of the answer the guide shows. A string `{{NAME}}` is "any value", shown as `<NAME>`;
 * the test saves it under NAME for later steps. Objects list only the fields the guide shows;
 * an array lists its first elements.
 */
export type Shown = string | number | boolean | null | Shown[] | { [key: string]: Shown };

export interface Step {
  text: Text;
  /** A shell command line; `{{NAME}}` is a variable, shown (and run) as `$NAME`, always inside double quotes. */
  curl: string;
  status: number;
  answer: Shown;
}

/** A step the reader does on their app's page, not with curl. */
export interface PageStep {
  text: Text;
  /** What the page sets: the webhook's event types ("Configurar webhook"), with no endpoint. */
  page: { webhookEvents: string[] };
}

export const isPageStep = (step: Step | PageStep): step is PageStep => 'page' in step;

export interface Variable {
  name: string;
  /** What the reader puts there; `{{BASE}}` in it is this server's public URL. The test checks it is what the sandbox answers. */
  value: string;
  /** Shown instead of a value only the reader knows (their keys); the test puts its own. */
  placeholder?: Text;
  text: Text;
}

export interface Guide {
  slug: Text;
  title: Text;
  intro: Text[];
  /** Variables the reader sets before the first step; the others come from earlier answers. */
  variables: Variable[];
  steps: (Step | PageStep)[];
  outro?: Text[];
}

const VAR = /\{\{([A-Z_]+)\}\}/g;

/** The command as the page shows it and the test runs it: `{{NAME}}` becomes `$NAME`. */
export function shellCommand(curl: string): string {
  return curl.replace(VAR, (_, name: string) => `$${name}`);
}

/** The variables a command reads. */
export function commandVariables(curl: string): string[] {
  return [...curl.matchAll(VAR)].map((m) => m[1]!);
}

/** The answer as the page shows it: pretty JSON with `{{NAME}}` as `<NAME>`. */
export function shownAnswer(answer: Shown): string {
  return JSON.stringify(answer, null, 2).replace(VAR, (_, name: string) => `<${name}>`);
}

/** A single `{{NAME}}` string: the name; otherwise undefined. */
export function capture(value: Shown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\{\{([A-Z_]+)\}\}$/.exec(value);
  return m ? m[1] : undefined;
}

/** The `{{NAME}}` captures of an answer, in order. */
export function capturesOf(answer: Shown, into: string[] = []): string[] {
  const name = capture(answer);
  if (name) into.push(name);
  else if (Array.isArray(answer)) answer.forEach((v) => capturesOf(v, into));
  else if (answer !== null && typeof answer === 'object') Object.values(answer).forEach((v) => capturesOf(v, into));
  return into;
}
