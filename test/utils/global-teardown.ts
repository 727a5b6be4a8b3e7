import { rmSync } from 'node:fs';

export default function globalTeardown(): void {
  const dir = process.env.GATEHOUSE_TEMPLATE_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
