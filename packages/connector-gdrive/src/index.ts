import { gdriveConnector } from './connector.js';

export {
  DRIVE_ROLES,
  type DriveRole,
  emailSchema,
  type GdriveConfig,
  gdriveConfigSchema,
  gdriveOptionsSchema,
} from './config.js';
export { gdriveConnector } from './connector.js';
export { DEFAULT_RATE_LIMIT_WAIT_MS, mapDriveError } from './errors.js';
export default gdriveConnector;
