import { fileURLToPath } from 'node:url';

/** The folder the CLI runs from: connectors installed beside it are found from here. */
export const CLI_DIR = fileURLToPath(new URL('.', import.meta.url));
