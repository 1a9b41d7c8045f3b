import { createConnection, createServer, type Socket } from 'node:net';

/** One connection through the front, as the service behind it saw it. */
export interface FrontConnection {
  readonly openedAt: number;
  /** When the client hung up (not set when the service closed the connection first). */
  clientClosedAt?: number;
  serviceClosed: boolean;
  /** Whether the service had sent any byte back by then. */
  answered: boolean;
}

export interface TcpFront {
  readonly url: string;
  readonly connections: FrontConnection[];
  close(): Promise<void>;
}

/**
 * A TCP relay on 127.0.0.1 in front of a local service: tells when a client hung up on a
 * request the service had not answered yet, which an HTTP emulator cannot see by itself.
 */
export async function startTcpFront(targetPort: number): Promise<TcpFront> {
  const connections: FrontConnection[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const seen: FrontConnection = { openedAt: Date.now(), answered: false, serviceClosed: false };
    connections.push(seen);
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    upstream.on('data', (chunk: Buffer) => {
      seen.answered = true;
      client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    client.on('close', () => {
      if (!seen.serviceClosed) seen.clientClosedAt ??= Date.now();
      upstream.destroy();
      sockets.delete(client);
    });
    upstream.on('close', () => {
      if (seen.clientClosedAt === undefined) seen.serviceClosed = true;
      client.destroy();
      sockets.delete(upstream);
    });
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
