# syntax=docker/dockerfile:1
# The service as an image: compiled in one stage (with dev dependencies), run from another with
# production dependencies only, as the unprivileged `node` user. It expects MONGODB_URI (see
# compose.yaml); the embedded database is for running from a checkout, not for containers.

# --- build: TypeScript to dist/ ------------------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# mongodb-memory-server (the embedded database) would download mongod at install: not needed here.
ENV MONGOMS_DISABLE_POSTINSTALL=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- production dependencies only ----------------------------------------------------------------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV MONGOMS_DISABLE_POSTINSTALL=1
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- run -------------------------------------------------------------------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    MONGOMS_DISABLE_POSTINSTALL=1
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
# DATA_DIR's default, writable by the service (used only without MONGODB_URI).
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Ready: the database answers and the sender and scheduler run (see README, Metrics and health).
# No curl in the image: Node 20's own fetch asks.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself, not npm: SIGTERM reaches the service, which shuts down gracefully.
CMD ["node", "dist/src/main.js"]
