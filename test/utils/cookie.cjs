'use strict';
// Jest (on Node 20) cannot require() an ES module, and light-my-request —
// behind fastify.inject(), which the MCP server dispatches tool calls with —
// requires the ESM-only cookie@2. This CommonJS stand-in offers the functions
// it calls, so the real app runs under Jest. Production code loads the real package.
function stringifySetCookie(cookie) {
  const value = cookie.value == null ? '' : encodeURIComponent(String(cookie.value));
  return `${cookie.name}=${value}`;
}
function parseCookie(str) {
  const out = {};
  for (const part of String(str).split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    const name = part.slice(0, index).trim();
    if (name && !(name in out)) out[name] = decodeURIComponent(part.slice(index + 1).trim());
  }
  return out;
}
module.exports = { stringifySetCookie, parseCookie, parse: parseCookie };
