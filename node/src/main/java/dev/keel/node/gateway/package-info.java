/**
 * etcd 3.4's HTTP+JSON gateway on the client port: {@code POST /v3/...} with JSON bodies, answered by calling the
 * node's gRPC service implementations in process, and {@code /health}, {@code /version}, {@code /metrics}.
 */
package dev.keel.node.gateway;
