// Nest 12 is ESM-only, so Jest runs in ESM mode (--experimental-vm-modules).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // See test/utils/content-disposition.cjs: an ESM-only dependency of Swagger UI's static files.
    '^content-disposition$': '<rootDir>/test/utils/content-disposition.cjs',
    // Same for light-my-request's ESM-only `cookie`, used by the MCP dispatcher's fastify.inject().
    '^cookie$': '<rootDir>/test/utils/cookie.cjs',
    // libphonenumber-js's ESM build imports its metadata JSON without an import attribute, which
    // Jest's ESM loader warns about on every import; its CommonJS build (what Node's require
    // gets) loads the same metadata.
    '^libphonenumber-js$': '<rootDir>/node_modules/libphonenumber-js/index.cjs',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testTimeout: 30000,
};
