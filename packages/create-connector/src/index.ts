// @orchester/create-connector: writes a working orchester connector package.
export { type Ranges, releasedRanges } from './ranges.js';
export { packageNameOf, ScaffoldInputError, type ScaffoldOptions, scaffold } from './scaffold.js';
