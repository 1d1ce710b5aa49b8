// The toolkit packages (@actions/*, @octokit/*) are ESM only: their "exports" answer `import`, never `require`.
// Jest loads the tests as CommonJS, so such a package is resolved again with the `import` condition (and swc turns
// it into CommonJS, see transformIgnorePatterns in jest.config.js).
module.exports = (path, options) => {
  try {
    return options.defaultResolver(path, options);
  } catch (error) {
    if (options.conditions?.includes('import')) throw error;
    return options.defaultResolver(path, { ...options, conditions: [...(options.conditions ?? []), 'import'] });
  }
};
