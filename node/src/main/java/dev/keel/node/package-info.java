/** The production host of the replica: files, TCP, an agent thread, etcd's gRPC API. */
package dev.keel.node;
