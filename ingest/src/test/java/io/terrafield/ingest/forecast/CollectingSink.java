package io.terrafield.ingest.forecast;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** A test sink that collects published issues in a JVM-wide list per name. */
final class CollectingSink implements Sink<PublishedIssue> {
  static final Map<String, List<PublishedIssue>> RESULTS = new ConcurrentHashMap<>();

  private final String name;

  CollectingSink(String name) {
    this.name = name;
    RESULTS.putIfAbsent(name, new CopyOnWriteArrayList<>());
  }

  static List<PublishedIssue> results(String name) {
    return RESULTS.getOrDefault(name, List.of());
  }

  @Override
  public SinkWriter<PublishedIssue> createWriter(WriterInitContext context) {
    return new SinkWriter<>() {
      @Override
      public void write(PublishedIssue element, Context context) {
        RESULTS.get(name).add(element);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
