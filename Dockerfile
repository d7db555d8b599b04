# The image Fly (or any container host) runs: the same build steps as `install.sh --domain`
# (npm ci without dev tools or install scripts, Bun's own install step, deploy/build.sh),
# then only the one binary in a small Debian image.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && node node_modules/bun/install.js
COPY . .
RUN deploy/build.sh

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/dist/kith /app/dist/kith
ENV PATH="/app/dist:$PATH" \
    KITH_DATA=/data \
    KITH_HOST=0.0.0.0 \
    KITH_PORT=8080
EXPOSE 8080
# SIGTERM: requests in flight finish, queued deliveries stay in /data for the next start.
STOPSIGNAL SIGTERM
CMD ["/app/dist/kith", "serve"]
