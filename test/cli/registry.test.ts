import { describe, expect, it } from 'vitest';
import { ADMIN_SUBS } from '../../src/cli/admin.ts';
import { REGISTRY } from '../../src/cli/registry.ts';
import { runCli } from '../helpers/cli.ts';

// `mpandco --help` lists every command from the registry without loading them; the
// registry's lines must stay those of the commands themselves.

describe('the command registry', () => {
  it('names every admin subcommand the admin command has, in order', () => {
    expect(REGISTRY.admin.usage).toContain(`<${ADMIN_SUBS.join('|')}>`);
  });

  it('gives each command the usage line its own code prints', async () => {
    for (const [name, entry] of Object.entries(REGISTRY)) expect((await entry.load()).usage, name).toBe(entry.usage);
  });

  it('--help prints every command from the compiled bin', async () => {
    const r = await runCli(['--help'], process.env);
    expect(r.code).toBe(0);
    for (const entry of Object.values(REGISTRY)) expect(r.stdout).toContain(`mpandco ${entry.usage}`);
  });
});
