import { generateKeyPairSync } from 'node:crypto';
import type { GitHubState } from './state.js';

/**
 * Registers a GitHub App installed on `org` and answers its private key (PKCS#1 PEM, as GitHub
 * hands it out), for configs with an `app` block.
 */
export function addApp(
  state: GitHubState,
  options: {
    readonly appId: number;
    readonly installationId: number;
    readonly org: string;
    readonly members?: 'read' | 'write';
  },
): { privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  state.apps[String(options.appId)] = {
    id: options.appId,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    installations: { [String(options.installationId)]: options.org },
    members: options.members ?? 'write',
  };
  return { privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
}
