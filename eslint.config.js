// Lint: typescript-eslint's recommended rules, plus the project's one structural rule, that a
// feature writes only its own models (architecture.md, "One owner per aggregate").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const WRITES = new Set([
  'create',
  'insertMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'findOneAndUpdate',
  'findByIdAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'findByIdAndDelete',
  'deleteOne',
  'deleteMany',
  'bulkWrite',
]);

/** The feature a path belongs to (`src/features/<name>/…`), or null outside features. */
const featureOf = (path) => /(?:^|\/)src\/features\/([^/]+)\//.exec(path)?.[1] ?? null;

const ownModels = {
  meta: { type: 'problem', messages: { foreign: '{{model}} belongs to features/{{owner}}: call its intent-named functions instead of writing it here.' } },
  create(context) {
    const here = featureOf(context.filename.replaceAll('\\', '/'));
    // Model bindings imported from another feature's *.model.ts, by local name → owning feature.
    const foreign = new Map();
    const report = (node, name) => context.report({ node, messageId: 'foreign', data: { model: name, owner: foreign.get(name) } });
    return {
      ImportDeclaration(node) {
        const source = String(node.source.value);
        const match = /(?:\.\.\/([^/]+)\/|\/features\/([^/]+)\/)[^/]+\.model\.ts$/.exec(source);
        const owner = match?.[1] ?? match?.[2];
        if (!owner || owner === here || node.importKind === 'type') return;
        for (const spec of node.specifiers) if (spec.importKind !== 'type') foreign.set(spec.local.name, owner);
      },
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && foreign.has(callee.object.name) && WRITES.has(callee.property.name)) report(node, callee.object.name);
      },
      NewExpression(node) {
        if (node.callee.type === 'Identifier' && foreign.has(node.callee.name)) report(node, node.callee.name);
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', '.cache/', 'public/js/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A timer set after the callback that clears it is declared: `let` is the honest form.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests and the demo seed set up their data directly; the application itself never does.
    files: ['src/**/*.ts'],
    ignores: ['src/db/seed*.ts'],
    plugins: { cocreate: { rules: { 'own-models': ownModels } } },
    rules: { 'cocreate/own-models': 'error' },
  },
);
