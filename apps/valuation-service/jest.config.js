module.exports = {
  displayName: 'valuation-service',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/../../test/global-setup.ts',
  coverageDirectory: '../../coverage/apps/valuation-service',
};
