/**
 * etcd's v3 API on the host side: translation between etcd's protobuf messages and the kernel's MVCC encoding
 * ({@link dev.keel.node.api.KvCodec}), pure and free of threads and I/O, for the gRPC services to call.
 */
package dev.keel.node.api;
