export { main, type MainOptions } from './main.js';
export type { CommandIo } from './io.js';
export { EXIT } from './exit-codes.js';
