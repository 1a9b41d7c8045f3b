export { EXIT } from './exit-codes.js';
export type { CommandIo } from './io.js';
export { type MainOptions, main } from './main.js';
