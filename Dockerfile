# Gatehouse container image (used by docker-compose.yml for the scale-out topology).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY . .
RUN npm ci --no-audit --no-fund --loglevel=warn \
  && npm run build \
  && npm prune --omit=dev --loglevel=warn

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 MAX_HEAP_MB=128
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json /app/prisma.config.ts ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/src/database/pg-pool.ts ./src/database/pg-pool.ts
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The heap cap keeps the resident set small (docs/benchmarks.md#memory); the shell only expands it.
CMD ["sh", "-c", "exec node --max-old-space-size=\"$MAX_HEAP_MB\" dist/main.js"]
