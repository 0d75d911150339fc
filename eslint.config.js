import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['action/**', 'node_modules/**', 'output/**', 'src/klaviyo/generated/**', 'marketing/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Configuration is read in one place: the entry points and src/config.ts.
    files: ['src/**/*.ts'],
    ignores: ['src/cli.ts', 'src/action.ts', 'src/config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in src/config.ts and pass it in.' },
        { object: 'process', property: 'argv', message: 'Only src/cli.ts reads argv.' },
      ],
    },
  },
  {
    // The core runs the same on a laptop: only the entry points and the GitHub reporter touch @actions/*.
    files: ['src/{project,compile,email,engine,klaviyo,sandbox,sync,previews,views}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@actions/*', '**/github/**'], message: 'The core must not depend on GitHub.' }] },
      ],
    },
  },
  {
    // The client is a library users import: nothing of ours outside src/klaviyo.
    files: ['src/klaviyo/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@actions/*'], message: 'The client must not depend on GitHub.' },
            {
              regex:
                '^(\\.\\./)+(commands|project|compile|email|engine|sandbox|github|sync|previews|views|config|redact|atomic-write|checkpoint|cli|action)\\b',
              message: 'src/klaviyo is a standalone library: import nothing of ours outside it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+klaviyo/(?!spec/|revision)',
              message: 'The sandbox shares only the vendored spec and its schema tools with the client.',
            },
            {
              // A local Klaviyo stands apart from the CLI's layers; it shares only the leaf file writer.
              regex: '^(\\.\\./)+(commands|project|compile|email|engine|github|sync|previews|views|config|redact|checkpoint|cli|action)\\b',
              message: 'The sandbox imports nothing of the CLI: only its own files, the vendored spec and atomic-write.',
            },
          ],
        },
      ],
    },
  },
);
