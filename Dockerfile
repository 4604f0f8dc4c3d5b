# Build stage: compiles the single binary (libpq and SQLite are bundled; OpenSSL comes from the system).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src src
COPY migrations migrations
COPY data data
COPY openapi.yaml openapi.yaml
RUN cargo build --release --locked --bin enterprise-assist

# Runtime stage: the binary, its TLS/CA libraries, and an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/enterprise-assist --create-home enterprise-assist
COPY --from=build /src/target/release/enterprise-assist /usr/local/bin/enterprise-assist
USER enterprise-assist
WORKDIR /var/lib/enterprise-assist
ENV BIND=0.0.0.0:8080 DATA_DIR=/var/lib/enterprise-assist LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["enterprise-assist"]
CMD ["serve"]
