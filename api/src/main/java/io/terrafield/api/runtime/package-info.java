/**
 * The runtime: the store, the in-process Kafka broker and Flink MiniCluster of the embedded mode
 * (or the external services of {@code serve}), and the replay of the real Beijing data.
 */
package io.terrafield.api.runtime;
