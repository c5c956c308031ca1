// A module-resolution hook for sql-parsers.mjs: dt-sql-parser's build imports directories and
// extension-less files (bundler style), which Node's ESM loader refuses; this completes them.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (error?.code === 'ERR_UNSUPPORTED_DIR_IMPORT') return next(`${specifier}/index.js`, context);
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && /^\.\.?\//.test(specifier)) return next(`${specifier}.js`, context);
    throw error;
  }
}
