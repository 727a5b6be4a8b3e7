import { Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Principal } from '../auth/principal.js';
import type { Scope } from '../auth/scopes.js';
import { refusedByCustomerBinding } from '../tools/customer-binding.js';
import { toolCatalog, type CatalogTool } from './tool-catalog.js';
import { toolManifest, type ManifestFormat, type ToolManifests } from './tool-manifests.js';

/** Who asks for the tool list: it shows only the tools this caller may call. */
export type ToolCaller = Pick<Principal, 'scopes' | 'policies'>;

/** Holds the tool catalogue derived from the app's finished OpenAPI document. */
@Injectable()
export class ManifestService {
  private catalog: CatalogTool[] | undefined;

  /** Called once the OpenAPI document is built (see setupOpenApi). */
  useDocument(document: OpenAPIObject): void {
    this.catalog = toolCatalog(document);
  }

  /** Every tool, or only those a caller with these scopes and policies may call. */
  tools(caller?: ToolCaller): CatalogTool[] {
    if (!this.catalog) throw new Error('the OpenAPI document has not been built yet');
    if (!caller) return this.catalog;
    return this.catalog.filter(
      (t) =>
        t.scopes.every((s) => caller.scopes.has(s as Scope)) &&
        !refusedByCustomerBinding(t, caller.policies),
    );
  }

  find(name: string): CatalogTool | undefined {
    return this.tools().find((t) => t.name === name);
  }

  manifest<F extends ManifestFormat>(format: F, caller?: ToolCaller): ToolManifests[F] {
    return toolManifest(this.tools(caller), format);
  }
}
