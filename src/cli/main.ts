import { UsageError } from './command.ts';
import { REGISTRY } from './registry.ts';

function usage(): string {
  return ['usage: mpandco <command> [options]', '', ...Object.values(REGISTRY).map((c) => `  mpandco ${c.usage}`), ''].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const entry = REGISTRY[name];
  if (!entry) {
    process.stderr.write(`mpandco: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: mpandco ${entry.usage}\n`);
    return 0;
  }
  try {
    return await (await entry.load()).run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`mpandco ${name}: ${e.message}\nusage: mpandco ${entry.usage}\n`);
      return 2;
    }
    const { ValidationError } = await import('../shared/errors.ts');
    if (e instanceof ValidationError) {
      const { describeValidation } = await import('./commands.ts');
      process.stderr.write(`mpandco ${name}: ${describeValidation(e)}\n`);
      return 1;
    }
    process.stderr.write(`mpandco ${name}: ${(e as Error).message}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exit(code);
