import { COMMANDS, describeValidation } from './commands.ts';
import { UsageError } from './args.ts';
import { ValidationError } from '../shared/errors.ts';

function usage(): string {
  return ['usage: mpandco <command> [options]', '', ...Object.values(COMMANDS).map((c) => `  mpandco ${c.usage}`), ''].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`mpandco: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: mpandco ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`mpandco ${name}: ${e.message}\nusage: mpandco ${command.usage}\n`);
      return 2;
    }
    if (e instanceof ValidationError) {
      process.stderr.write(`mpandco ${name}: ${describeValidation(e)}\n`);
      return 1;
    }
    process.stderr.write(`mpandco ${name}: ${(e as Error).message}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exit(code);
