/** The model's public surface: schemas (the single source) and the types inferred from them. */
export * from './errors.js';
export * from './exception.js';
export * from './issue.js';
export * from './os.js';
export * from './package.js';
export * from './result.js';
