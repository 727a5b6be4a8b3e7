import { Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Scope } from '../auth/scopes.js';
import { toolCatalog, type CatalogTool } from './tool-catalog.js';
import { toolManifest, type ManifestFormat, type ToolManifests } from './tool-manifests.js';

/** Holds the tool catalogue derived from the app's finished OpenAPI document. */
@Injectable()
export class ManifestService {
  private catalog: CatalogTool[] | undefined;

  /** Called once the OpenAPI document is built (see setupOpenApi). */
  useDocument(document: OpenAPIObject): void {
    this.catalog = toolCatalog(document);
  }

  /** Every tool, or only those whose scopes are all in `scopes`. */
  tools(scopes?: ReadonlySet<Scope>): CatalogTool[] {
    if (!this.catalog) throw new Error('the OpenAPI document has not been built yet');
    if (!scopes) return this.catalog;
    return this.catalog.filter((t) => t.scopes.every((s) => scopes.has(s as Scope)));
  }

  find(name: string): CatalogTool | undefined {
    return this.tools().find((t) => t.name === name);
  }

  manifest<F extends ManifestFormat>(format: F, scopes?: ReadonlySet<Scope>): ToolManifests[F] {
    return toolManifest(this.tools(scopes), format);
  }
}
