/**
 * Listeners a service reports to (the metrics), none of which may disturb
 * the work being reported: an observer that throws is passed to `failed`
 * and the others still run.
 */
export class Observers<T> {
  readonly #list: ((report: T) => void)[] = [];

  constructor(private readonly failed: (error: unknown) => void) {}

  add(observer: (report: T) => void): void {
    this.#list.push(observer);
  }

  notify(report: T): void {
    for (const observer of this.#list) {
      try {
        observer(report);
      } catch (error) {
        this.failed(error);
      }
    }
  }
}
