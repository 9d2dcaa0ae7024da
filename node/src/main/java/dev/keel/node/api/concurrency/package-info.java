/**
 * etcd's {@code v3lock} and {@code v3election} gRPC services: as in etcd, server-side facades over the
 * client-side recipes (a key per lease under the lock or election name, ordered by create revision, waiting for
 * the deletion of the predecessors with a watch), calling this member's own KV and Watch services.
 */
package dev.keel.node.api.concurrency;
