'use strict';
// Jest (on Node 20) cannot require() an ES module, and @fastify/static — which
// Swagger UI needs — requires the ESM-only content-disposition@3. This CommonJS
// stand-in offers the one function it calls, so the real app boots under Jest.
// Production code loads the real package.
function create(filename, options) {
  const type = (options && options.type) || 'attachment';
  if (filename === undefined) return type;
  const ascii = String(filename).replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(String(filename))}`;
}
module.exports = { create };
