import type { Command } from './command.ts';

// The commands by name, each with its usage line and a loader: a command's code (and the
// server, the stores, the drivers it needs) is imported only when that command runs.

interface Entry {
  usage: string;
  load: () => Promise<Command>;
}

const fromCommands = (name: string) => async () => (await import('./commands.ts')).COMMANDS[name];

export const ADMIN_SUBCOMMANDS = [
  'create-operator', 'codes', 'apps', 'activate', 'refuse-golive', 'grant-billing', 'revoke-billing',
  'authorize-distribution', 'refuse-distribution', 'suspend', 'reinstate', 'revoke', 'audit',
];

export const REGISTRY: Record<string, Entry> = {
  serve: {
    usage: 'serve [--env sandbox|production|both] [--port N] [--host H] [--public-url URL] [--data-dir DIR] [--tls-cert F --tls-key F] [--trust-proxy] [--workers N]',
    load: fromCommands('serve'),
  },
  migrate: { usage: 'migrate [--env sandbox|production|both] [--data-dir DIR]', load: fromCommands('migrate') },
  ledger: { usage: 'ledger verify [--env sandbox|production|both] [--json]', load: fromCommands('ledger') },
  queues: { usage: 'queues [--env sandbox|production|both] [--late-after SECONDS] [--json]', load: fromCommands('queues') },
  sandbox: {
    usage: 'sandbox merchant [--json] | sandbox payer [--balance AMOUNT] [--count N] [--json] | sandbox clock advance DURATION|show|reset --account USERNAME [--json]',
    load: fromCommands('sandbox'),
  },
  codes: { usage: 'codes [--env sandbox] --type regular|commercial [--count N] [--json]', load: fromCommands('codes') },
  listen: {
    usage: 'listen --forward-to URL [--client-id ID | --app ID] [--events a,b] [--json] | listen --forward-to URL --base-url URL --client-id ID --client-secret S [--secret WHSEC]',
    load: async () => (await import('./developer.ts')).listenCommand,
  },
  trigger: {
    usage: 'trigger <sale.authorized|sale.executed|sale.annulled|intent.canceled|intent.expired|request.paid|request.declined|payout.batch_settled|payout.item_failed> [--client-id ID | --app ID] [--json]',
    load: async () => (await import('./developer.ts')).triggerCommand,
  },
  admin: {
    usage: `admin <${ADMIN_SUBCOMMANDS.join('|')}> [--env production|sandbox] [--operator USERNAME] [--json]`,
    load: async () => (await import('./admin.ts')).adminCommand,
  },
};
