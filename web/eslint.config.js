// SPDX-License-Identifier: MIT
// ESLint (flat config): the recommended JavaScript and Vue rules; layout is
// prettier's (`npm run lint` checks both, `npm run format` rewrites).
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier/flat'
import globals from 'globals'

export default [
  { ignores: ['dist/', 'node_modules/'] },
  js.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.browser },
    },
    rules: {
      // the screens are named for what they show (Login, Users, Policy)
      'vue/multi-word-component-names': 'off',
      // a form component (FormFields) fills in the reactive object its page
      // owns and passes down; replacing a prop itself is still an error
      'vue/no-mutating-props': ['error', { shallowOnly: true }],
    },
  },
  { files: ['vite.config.js', 'eslint.config.js', 'scripts/**'], languageOptions: { globals: { ...globals.node } } },
  prettier,
]
