/**
 * The node's Prometheus metrics, named as etcd 3.4 names them: one {@link dev.keel.node.metrics.NodeMetrics} per
 * member (several members share a JVM in tests), written in Prometheus' text format by
 * {@link dev.keel.node.metrics.MetricsText}.
 */
package dev.keel.node.metrics;
