import { connect, type AddressInfo } from 'node:net';
import type { TestApp } from './test-app.js';

/** The app's loopback port, listening on a free one first: for bytes supertest cannot send. */
export async function listeningPort(t: TestApp): Promise<number> {
  const server = t.app.getHttpServer();
  if (!server.listening) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  return (server.address() as AddressInfo).port;
}

/** Writes raw bytes to the app's socket and returns everything it answers until it closes. */
export async function rawExchange(t: TestApp, payload: string): Promise<string> {
  const port = await listeningPort(t);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(payload));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Writes raw bytes, then closes the connection without waiting for an answer: a client that hangs up. */
export async function sendAndHangUp(t: TestApp, payload: string): Promise<void> {
  const port = await listeningPort(t);
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(payload, () => setImmediate(() => socket.destroy())),
    );
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
}
