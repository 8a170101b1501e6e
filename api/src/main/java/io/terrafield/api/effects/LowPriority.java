package io.terrafield.api.effects;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority of the calling thread to a Linux nice value, so that a thread doing
 * optional work (effect estimates) yields the CPU to the threads that must keep up (the sensor job,
 * Kafka, the store): under the kernel's fair scheduler a nice-19 thread has weight 15 against 1024
 * for a nice-0 one, about 1.5 % of a contended core.
 *
 * <p>Java's {@link Thread#setPriority} does not do this: HotSpot ignores thread priorities on Linux
 * unless started with {@code -XX:ThreadPriorityPolicy=1} as root. On Linux the nice value is a
 * per-thread attribute, and any user may raise the nice value of their own threads, so this runs
 * {@code renice -n N -p TID} on the thread's kernel id (from {@code /proc/thread-self}) and reads
 * the value back from {@code /proc/thread-self/stat}. Elsewhere (no {@code /proc}, no {@code
 * renice}) it logs once and leaves the thread as it is.
 */
public final class LowPriority {

  private static final Logger log = LoggerFactory.getLogger(LowPriority.class);
  private static volatile boolean warned;

  private LowPriority() {}

  /**
   * Sets the calling thread's nice value.
   *
   * @param nice 0..19; 0 leaves the thread alone
   * @return the thread's nice value afterwards, or {@code Integer.MIN_VALUE} when unknown
   */
  public static int lowerCurrentThread(int nice) {
    if (nice < 0 || nice > 19) {
      throw new IllegalArgumentException("nice: must be in 0..19, was " + nice);
    }
    if (nice == 0) {
      return currentNice();
    }
    try {
      Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
      String tid = self.getFileName().toString();
      Process renice =
          new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
              .redirectErrorStream(true)
              .start();
      String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
        warnOnce("renice -n " + nice + " -p " + tid + " failed: " + output.trim());
      }
    } catch (IOException | UnsupportedOperationException e) {
      warnOnce(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return currentNice();
  }

  /** The calling thread's nice value (field 19 of {@code /proc/thread-self/stat}). */
  public static int currentNice() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(fields[16]); // field 19; fields[0] is field 3 (state)
    } catch (IOException | RuntimeException e) {
      return Integer.MIN_VALUE;
    }
  }

  private static void warnOnce(String why) {
    if (!warned) {
      warned = true;
      log.warn(
          "effect workers keep the normal CPU priority (could not lower it: {}); on a shared"
              + " machine effect estimates then compete with ingestion on equal terms",
          why);
    }
  }
}
