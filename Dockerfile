# syntax=docker/dockerfile:1
# One image per app, all from this file:
#   docker build --build-arg APP=ticket-db --build-arg PORT=9082 -t tickets/ticket-db .
# The image holds a single bundled file (apps/<app>/dist/main.mjs: the app, its libs and the SDK's WASM), so the
# runtime stage needs no node_modules at all.
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-alpine AS build
WORKDIR /workspace
RUN corepack enable
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
COPY apps ./apps
COPY libs ./libs
COPY tools ./tools
COPY tsconfig.base.json ./
RUN pnpm install --frozen-lockfile
ARG APP
ARG PORT
# Both are needed: without PORT the image would set an empty one, which the app refuses at start.
RUN test -n "${APP}" -a -n "${PORT}" || { echo 'build with --build-arg APP=<app> --build-arg PORT=<its port>' >&2; exit 1; }
# The app's own build script: the command the packaging test runs too.
RUN pnpm --filter "@tickets/${APP}" run build

FROM node:${NODE_VERSION}-alpine
ARG APP
ARG PORT
ENV NODE_ENV=production HOST=0.0.0.0 PORT=${PORT}
WORKDIR /app
COPY --from=build --chown=node:node /workspace/apps/${APP}/dist/ ./
USER node
EXPOSE ${PORT}
# main.mjs handles SIGTERM: stops accepting, lets in-flight invocations finish, exits.
CMD ["node", "--enable-source-maps", "main.mjs"]
