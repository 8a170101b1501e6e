package io.terrafield.api.forecasts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.WebRequest;

/**
 * The encoded answers of the forecast queries (position, cube, area), kept in memory by query.
 *
 * <p>A stored issue never changes, so the same query of the same issue is the same bytes: each
 * answer is encoded once (CoverageJSON and GeoJSON with the application's Jackson {@link
 * ObjectMapper}, CSV as UTF-8) and kept, with a strong ETag (a SHA-256 prefix of the bytes), in a
 * cache bounded by the total size of the bodies ({@code terrafield.forecast.answer-cache-mb}, MiB,
 * default 64; least recently/frequently used answers are dropped first). The key of an answer names
 * the issue it was computed from (variable, issue time, model version, issued at), so an answer of
 * the newest issue is never served once a newer issue is served: the controllers take the newest
 * issue from {@link StoredIssues} on every request (its served newest issue, which a refresher
 * moves to a newly stored issue once it has read it). Concurrent requests for an answer being
 * computed wait for it (one computation per key). Answers that fail (4xx, 503) are not kept.
 * Thread-safe.
 */
@Component
public class EncodedAnswers {

  /** How long a client or proxy may keep an answer of one issue ({@code /instances/{id}/...}). */
  static final Duration ISSUE_MAX_AGE = Duration.ofDays(1);

  private final AsyncCache<Object, Outcome> cache;
  private final ObjectWriter json;

  /**
   * @param mapper the application's JSON mapper (the one the web layer writes other answers with)
   * @param maxMb the most bytes of answers kept, MiB; 0 keeps none
   */
  public EncodedAnswers(
      ObjectMapper mapper, @Value("${terrafield.forecast.answer-cache-mb:64}") long maxMb) {
    if (maxMb < 0) {
      throw new IllegalArgumentException(
          "terrafield.forecast.answer-cache-mb: must be >= 0, was " + maxMb);
    }
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxMb * 1024 * 1024)
            .<Object, Outcome>weigher(
                (key, outcome) -> outcome.answer() == null ? 0 : outcome.answer().body().length)
            .buildAsync();
    // Schubfach shortest decimals, faster than Double.toString (Java 17) and the same text for the
    // answers' values: checked for every value of 3 decimals in [-2000, 100000] and of 6 decimals
    // in lon [115, 118] and lat [39, 41] (ForecastAnswerBytesTest compares whole answers)
    this.json = mapper.writer().with(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
  }

  /**
   * One encoded answer.
   *
   * @param body the bytes of the answer
   * @param mediaType its media type
   * @param etag its strong entity tag, quoted ({@code "…"})
   */
  record Answer(byte[] body, MediaType mediaType, String etag) {}

  /**
   * What a computation gave: an answer, or the exception for the caller and the requests that
   * waited on it. A failure completes the future normally (then leaves the map), because Caffeine
   * logs every exceptionally completed future with its stack trace: a client's bad query (a point
   * outside the domain) would fill the log.
   */
  private record Outcome(Answer answer, Throwable failure) {}

  /**
   * The answer of a query: the kept one, else {@code body} encoded in {@code format} (and kept).
   *
   * @param key the query: equal keys must give equal answers (name the issue, the normalized
   *     parameters and the format)
   * @param body computes the answer (a CoverageJSON or GeoJSON document, or the CSV text); its
   *     exceptions reach the caller and nothing is kept
   */
  Answer answer(Object key, QueryFormat format, Supplier<Object> body) {
    // a future goes in at once and the answer is computed outside the map, on this thread: a
    // computation that reads a new issue (up to a second) holds no lock other keys need
    CompletableFuture<Outcome> mine = new CompletableFuture<>();
    CompletableFuture<Outcome> kept = cache.asMap().putIfAbsent(key, mine);
    if (kept == null) {
      Outcome outcome;
      try {
        outcome = new Outcome(encode(format, body.get()), null);
      } catch (RuntimeException | Error e) {
        outcome = new Outcome(null, e);
        cache.asMap().remove(key, mine);
      }
      mine.complete(outcome);
      kept = mine;
    }
    Outcome outcome = kept.join();
    if (outcome.failure() instanceof RuntimeException r) {
      throw r;
    }
    if (outcome.failure() instanceof Error error) {
      throw error;
    }
    return outcome.answer();
  }

  /** Encodes an answer without keeping it. */
  Answer encode(QueryFormat format, Object body) {
    byte[] bytes;
    if (body instanceof String text) {
      bytes = text.getBytes(StandardCharsets.UTF_8);
    } else {
      try {
        bytes = json.writeValueAsBytes(body);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("could not write the answer: " + e.getMessage(), e);
      }
    }
    return new Answer(bytes, format.mediaType(), etag(bytes));
  }

  /** The number of answers kept (approximate). */
  long size() {
    return cache.synchronous().estimatedSize();
  }

  /**
   * The 200 answer with its ETag and Cache-Control (a request whose {@code If-None-Match} names the
   * ETag, alone or in a list, weak or strong, is answered 304 by Spring MVC). The newest issue
   * changes when the next issue is stored, so its answers are {@code no-cache} (revalidate with the
   * ETag every time); an answer of one issue ({@code instance}) never changes: {@code public,
   * max-age=86400, immutable}.
   *
   * <p>{@code If-None-Match: *} (RFC 9110 §13.1.2: false for a GET or HEAD when a current
   * representation exists, which an answer is) is a 304 with the same ETag and Cache-Control:
   * Spring MVC answers it 200.
   */
  static ResponseEntity<byte[]> response(Answer answer, boolean instance, WebRequest request) {
    CacheControl cacheControl =
        instance
            ? CacheControl.maxAge(ISSUE_MAX_AGE).cachePublic().immutable()
            : CacheControl.noCache();
    if (wildcard(request == null ? null : request.getHeaderValues(HttpHeaders.IF_NONE_MATCH))) {
      return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
          .eTag(answer.etag())
          .cacheControl(cacheControl)
          .build();
    }
    return ResponseEntity.ok()
        .contentType(answer.mediaType())
        .eTag(answer.etag())
        .cacheControl(cacheControl)
        .body(answer.body());
  }

  /** Whether an {@code If-None-Match} header (each line) is {@code *}. */
  static boolean wildcard(String[] ifNoneMatch) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String line : ifNoneMatch) {
      if (line != null && line.trim().equals("*")) {
        return true;
      }
    }
    return false;
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
