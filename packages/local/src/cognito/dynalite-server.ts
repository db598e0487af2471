/**
 * dynalite, the in-process DynamoDB-compatible server of the local stack. It is CommonJS without
 * type declarations; this is the part of its API the stack uses. With a path it keeps the data
 * in a LevelDB folder, so records survive a restart.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";

const dynalite = createRequire(import.meta.url)("dynalite") as (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

export interface DynamoServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startDynamoServer(options: { host: string; port: number; path?: string | undefined }): Promise<DynamoServer> {
  // Tables are ACTIVE at once: nothing local should wait the half second dynalite imitates by default.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path === undefined ? {} : { path: options.path }) });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
