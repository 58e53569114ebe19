# Multi-stage build: a static binary (pure-Go SQLite, CGO_ENABLED=0; the
# pages are embedded in it) on a distroless base. Data lives in the
# /pb_data volume.
#   docker build -t linkbase .
#   docker run -p 8090:8090 -v linkbase_data:/pb_data linkbase
# or `docker compose up -d` with compose.yaml.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/linkbase . && mkdir /out/pb_data

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/linkbase /app/linkbase
COPY --from=build --chown=nonroot:nonroot /out/pb_data /pb_data
VOLUME /pb_data
EXPOSE 8090
# distroless has no shell and no curl: the binary checks the server
# itself (GET /api/health on loopback, exit 0 or 1), without opening the
# data folder.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/app/linkbase", "healthcheck", "--http=127.0.0.1:8090", "--timeout=3s"]
ENTRYPOINT ["/app/linkbase"]
CMD ["serve", "--http=0.0.0.0:8090", "--dir=/pb_data"]
