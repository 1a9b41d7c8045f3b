import type { AnyConnector } from '@orchester/core';
import { optionsSchemaOf } from '@orchester/runtime';
import { type ConnectorOption, describeOptions } from './describe.js';

// Described once per connector: a 10,000-row batch asks for each row.
const described = new WeakMap<AnyConnector, readonly ConnectorOption[]>();

/** The options a loaded connector takes (its `optionsSchema`, or core's default). */
export function optionsOfConnector(connector: AnyConnector): readonly ConnectorOption[] {
  let options = described.get(connector);
  if (!options) {
    options = describeOptions(optionsSchemaOf(connector)) ?? [];
    described.set(connector, options);
  }
  return options;
}
