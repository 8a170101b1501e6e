package io.terrafield.api.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells the person who started Terrafield where to look once it is up. */
@Component
class ReadyBanner {

  private static final Logger LOG = LoggerFactory.getLogger(ReadyBanner.class);

  @EventListener
  void ready(ApplicationReadyEvent event) {
    if (event.getApplicationContext() instanceof WebServerApplicationContext web) {
      int port = web.getWebServer().getPort();
      LOG.info(
          "Terrafield is up: dashboard http://localhost:{}/ · GeoJSON"
              + " http://localhost:{}/collections/pm25/locations · Ctrl-C to stop",
          port,
          port);
    }
  }
}
