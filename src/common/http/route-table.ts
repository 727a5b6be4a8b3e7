/**
 * The methods registered for each path pattern, so an unmatched request can
 * be told apart: wrong path (404) or wrong method on a real path (405).
 */
export class RouteTable {
  private readonly routes: { pattern: RegExp; method: string }[] = [];

  add(method: string | string[], url: string): void {
    const source = url
      .split('/')
      .map((segment) =>
        segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : escape(segment),
      )
      .join('/');
    const pattern = new RegExp(`^${source}/?$`);
    for (const m of Array.isArray(method) ? method : [method]) {
      if (m !== 'HEAD') this.routes.push({ pattern, method: m });
    }
  }

  allowedMethods(path: string): string[] {
    const clean = path.split('?')[0] ?? path;
    return [...new Set(this.routes.filter((r) => r.pattern.test(clean)).map((r) => r.method))];
  }
}

function escape(segment: string): string {
  return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
