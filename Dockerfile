# Scouter in a container: the dashboard, the JSON API and the scheduled scanner, with the
# embedded SQLite database in /app/results (a volume).
#
#   docker build -t scouter .
#   docker run -d -p 8000:8000 -e OPENROUTER_API_KEY=sk-or-v1-… -v scouter-results:/app/results scouter
#
# The official Deno image, pinned, Debian-based on purpose: libSQL's native addon is built
# for glibc, which Alpine does not have.
FROM denoland/deno:2.9.6

WORKDIR /app
RUN chown deno:deno /app
# Everything below runs as the image's unprivileged `deno` user (uid 1993), the server too.
USER deno

# Dependencies in their own layer: rebuilt only when deno.json or deno.lock change.
COPY --chown=deno:deno deno.json deno.lock ./
RUN deno install --frozen

# The web assets (static/build/) and every module are prepared at build time: the running
# container builds nothing and fetches nothing (--cached-only below).
COPY --chown=deno:deno . .
RUN deno task build && deno cache main.ts && mkdir -p results

ENV OPENROUTER_SCOUT_WEB_HOST=0.0.0.0 \
    OPENROUTER_SCOUT_WEB_PORT=8000
EXPOSE 8000
VOLUME ["/app/results"]

# No curl in the image: Deno itself asks /healthz (200 while the database answers).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["deno", "eval", "--no-config", "const port = Deno.env.get('OPENROUTER_SCOUT_WEB_PORT') || '8000'; const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) }); Deno.exit(res.ok ? 0 : 1);"]

# The `start` task without its build step, with exactly its permissions (a test compares them
# with deno.json). --node-modules-dir=manual: node_modules is used as built, never re-synced
# (a read-only root file system would otherwise cost about 13 s per start, measured).
# tini (the image's entrypoint) passes SIGTERM on: the server stops cleanly.
CMD ["deno", "run", "--cached-only", "--node-modules-dir=manual", "--allow-net", "--allow-read", "--allow-write", "--allow-env=OPENROUTER_*,LIBSQL_*,NODE_ENV", "--allow-ffi", "--allow-sys=hostname,cpus,networkInterfaces", "main.ts", "serve"]
