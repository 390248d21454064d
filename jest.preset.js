const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
    '^.+\\.m?js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  // These packages ship ESM only: Node 20 loads them natively, Jest needs them as CommonJS.
  transformIgnorePatterns: ['^(?!.*/node_modules/(jose|content-disposition)/).*/node_modules/'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
