package io.terrafield.api.problems;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Tomcat's last-resort error page as problem+json: requests Tomcat rejects before any servlet sees
 * them (a path that climbs above the root such as {@code /../etc/passwd}, an encoded {@code %2F},
 * an invalid URI) otherwise get Tomcat's HTML page. Installed as the host's error report valve.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    HttpStatus resolved = HttpStatus.resolve(status);
    String reason = resolved == null ? "Error" : resolved.getReasonPhrase();
    String uri = request.getDecodedRequestURI();
    String detail =
        status == 400
            ? "path: the request URI was rejected (invalid, encoded separators or a path above"
                + " the root)"
            : reason;
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(
            "{\"type\":\""
                + Problems.TYPE_BASE
                + "http-"
                + status
                + "\",\"title\":\""
                + reason
                + "\",\"status\":"
                + status
                + ",\"detail\":\""
                + detail
                + "\"}");
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client went away; nothing left to report to
    }
    if (uri != null && getContainer() != null) {
      getContainer().getLogger().debug("rejected request URI " + uri);
    }
  }

  /** Installs the valve on the embedded Tomcat's host. */
  @Component
  static class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(
          context -> {
            if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
              host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
          });
    }
  }
}
