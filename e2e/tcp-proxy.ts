import net, { type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy between the browser and the server that can cut the network: `drop()` resets every
 * open connection and from then on accepts new ones but never forwards a byte (a partition: packets
 * go nowhere), until `restore()`.
 */
export class TcpProxy {
  url = '';
  private server: net.Server | null = null;
  private readonly sockets = new Set<Socket>();
  private dropped = false;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      // Partitioned: hold the connection, answer nothing.
      if (this.dropped) return;
      const upstream = net.connect(this.target.port, this.target.host);
      this.sockets.add(upstream);
      upstream.on('close', () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  drop(): void {
    this.dropped = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  restore(): void {
    this.dropped = false;
    // Connections held during the partition never recover: the client gives up on them and retries.
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
