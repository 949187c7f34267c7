// Import rules, checked in CI (`npm run lint`).

// Feature folders in layers: a folder imports only from folders of lower layers (or its
// own), so the features depend one way and no two folders need each other.
const LAYERS = [
  ['shared', 'config', 'db', 'audit', 'background'],
  ['accounts', 'ledger', 'callbacks', 'test-mode'],
  ['http', 'web', 'mail'],
  ['docs', 'onboarding', 'guides'],
  ['oauth', 'golive'],
  ['payments', 'apps', 'payouts', 'profile'],
  ['payment-intents', 'request-log', 'webhooks'],
  ['annulment', 'checkout'],
  ['billing', 'dashboard'],
  ['sandbox'],
  ['wallet'],
  ['topups', 'withdrawals', 'account-settings'],
  ['backoffice'],
  ['cli'],
];
const group = (names) => `^src/(${names.join('|')})/`;

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${i}-imports-down`,
  severity: 'error',
  comment: `${layer.join(', ')} may not import from a higher layer`,
  from: { path: group(layer) },
  to: { path: group(LAYERS.slice(i + 1).flat()), dependencyTypesNot: ['type-only'] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular', severity: 'error', comment: 'Files import each other one way (a type-only import is no dependency at run time; a lazy import loads on demand).',
      from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only', 'dynamic-import'] } },
    },
    ...layerRules,
    {
      name: 'layers-are-known', severity: 'error', comment: 'A new feature folder takes its place in LAYERS.',
      from: { path: '^src/[^/]+/', pathNot: group(LAYERS.flat()) }, to: {},
    },
    {
      name: 'intent-money-through-the-machine', severity: 'error',
      comment: "Only the intent machine moves an intent's money.",
      from: { pathNot: '^src/payment-intents/intent\\.machine\\.ts$' }, to: { path: '^src/payment-intents/payment-intent\\.execute\\.ts$' },
    },
    {
      name: 'cli-loads-lazily', severity: 'error',
      comment: '`mpandco --help` loads only the command list; each command is imported when it runs.',
      from: { path: '^src/cli/(main|registry|command)\\.ts$' },
      to: { pathNot: '^src/cli/(registry|command)\\.ts$', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'fastify-at-the-edge', severity: 'error',
      comment: 'Only routes, the app, the server, pages and the HTTP layer import Fastify; services stay plain.',
      from: { path: '^src/', pathNot: ['\\.routes\\.ts$', '^src/(app|server)\\.ts$', '^src/(web|http|docs)/', '^src/features\\.ts$'] },
      to: { path: '^node_modules/(fastify|@fastify)/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
