# syntax=docker/dockerfile:1
# One image for every Paygraph service; the command chooses which (compose.yaml):
#   dist/scripts/start-gateway.js
#   dist/scripts/start-subgraph.js payment | accounting | transaction | analytics
#   dist/scripts/start-simulator.js card | alipay | wechat      (sandbox only)
#   dist/scripts/migrate.js status | up [subgraph]             (a deployment step)
# The services run the compiled build with plain node (no tsx, no dev dependencies), as a non-root user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 (the embedded default) builds from source where no prebuilt binary matches
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# DATA_DIR (SQLite files, development secrets) is the only place the services write; the image's
# `node` user (uid 1000) owns it, and a named volume mounted there starts with that owner
RUN mkdir -p /app/data && chown node:node /app/data && chmod 0700 /app/data
USER node
EXPOSE 4000
# /livez answers 200 while the process serves (it checks nothing beyond itself). Every service listens
# on its own port: compose.yaml sets HEALTHCHECK_PORT for each (4000: the gateway's default).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HEALTHCHECK_PORT ?? 4000}/livez`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node runs as PID 1: it gets SIGTERM from `docker stop` and each service closes itself gracefully on it
ENTRYPOINT ["node", "--enable-source-maps"]
CMD ["dist/scripts/start-gateway.js"]
