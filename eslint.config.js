import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import regexp from 'eslint-plugin-regexp';

export default tseslint.config(
  { ignores: ['**/dist/', '**/node_modules/', 'src/generated/', 'test/e2e/django_site/', 'coverage/', 'bench/results/', 'test-artifacts/', 'examples/*/.next/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // One crafted header or session value must never stall the event loop: no regex may backtrack or
    // rescan super-linearly.
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
    },
  },
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', globalThis: 'readonly', WebAssembly: 'readonly', Response: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The library stands alone: nothing of the service (its src/, scripts, generated Prisma client) in it.
    files: ['packages/django-session-bridge/src/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['../../../*', '../../../../*', '**/generated/*'], message: 'The package never imports the service.' },
          { group: ['django-session-bridge', 'django-session-bridge/*'], message: 'Inside the package, import its modules by relative path.' },
        ],
      }],
    },
  },
  {
    // The service uses the library as any app would: through its public entry points only.
    files: ['src/**', 'scripts/**', 'bench/**', 'test/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/packages/**', 'django-session-bridge/src/*', 'django-session-bridge/dist/*'], message: 'Import django-session-bridge through its public entry points.' }],
      }],
    },
  },
);
