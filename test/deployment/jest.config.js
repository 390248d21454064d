module.exports = {
  displayName: 'deployment',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  globalSetup: '<rootDir>/../global-setup.ts',
};
