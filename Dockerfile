# Multi-stage build: a static binary (pure-Go SQLite, CGO_ENABLED=0) on a
# distroless base. Data lives in the /pb_data volume.
#   docker build -t linkbase .
#   docker run -p 8090:8090 -v linkbase_data:/pb_data linkbase
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/linkbase . && mkdir /out/pb_data

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/linkbase /app/linkbase
COPY pb_public /app/pb_public
COPY --from=build --chown=nonroot:nonroot /out/pb_data /pb_data
ENV LINKBASE_PUBLIC_DIR=/app/pb_public
VOLUME /pb_data
EXPOSE 8090
ENTRYPOINT ["/app/linkbase"]
CMD ["serve", "--http=0.0.0.0:8090", "--dir=/pb_data"]
