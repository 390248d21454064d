module.exports = {
  displayName: 'security',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/../../test/global-setup.ts',
  coverageDirectory: '../../coverage/libs/security',
};
