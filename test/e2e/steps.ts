// Runs a test as named steps, saving a screenshot after each one; a failing step
// fails with its screenshot's path so the picture of what went wrong is one click away.
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';

export class StepRecorder {
  private n = 0;
  readonly timings: { step: string; ms: number }[] = [];

  constructor(
    private readonly page: Page,
    private readonly dir: string,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  private file(name: string, suffix = ''): string {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    return path.join(this.dir, `${String(this.n).padStart(2, '0')}-${slug}${suffix}.png`);
  }

  /** A screenshot named `name` (e.g. for the documentation); returns its path. */
  async picture(name: string): Promise<string> {
    const file = path.join(this.dir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async step<T>(name: string, body: () => Promise<T>): Promise<T> {
    this.n++;
    const started = Date.now();
    try {
      const result = await body();
      this.timings.push({ step: name, ms: Date.now() - started });
      await this.page.screenshot({ path: this.file(name) });
      return result;
    } catch (err) {
      const shot = this.file(name, '-FAILED');
      await this.page.screenshot({ path: shot }).catch(() => undefined);
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`step "${name}" failed (screenshot ${path.relative(process.cwd(), shot)}): ${message}`, { cause: err });
    }
  }
}
