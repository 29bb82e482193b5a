# syntax=docker/dockerfile:1.10
# escape=\
ARG BASE=debian:bookworm-slim@sha256:2424c1850714a4d94666ec928e24d86de958646737b1d113f5b2207be44d37d8

FROM golang:1.22@sha256:0b55ab82ac2a54a6f8f85ec8b943b9e470c39e32c109b1a0b6a3e8e9b1bd6b41 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=secret,id=netrc,target=/root/.netrc \
    CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/app

FROM ${BASE}
RUN <<EOF
set -eu
apt-get update
apt-get install -y --no-install-recommends ca-certificates=20230311 curl=7.88.1-10+deb12u5
rm -rf /var/lib/apt/lists/*
groupadd --system --gid 10001 app
useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
EOF
COPY --from=build --chown=10001:10001 --chmod=0755 /out/app /usr/local/bin/app
COPY --chmod=0644 <<EOF /etc/app/config.toml
listen = ":8080"
EOF
ENV APP_ENV=production \
    PASSWORD_FILE=/run/secrets/password
EXPOSE 8080
USER 10001:10001
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/app"]
