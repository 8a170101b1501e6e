package io.terrafield.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.ingest.kafka.EmbeddedKafka;
import io.terrafield.store.TerrafieldStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The api as the Helm chart runs it ({@code terrafield.mode: external}, no Flink jobs in-process,
 * no replay, no data folder in the image): it starts, serves, and neither needs a data folder nor
 * writes the demo's stations into the production store (its stations are the store's, imported with
 * {@code terrafield store import}).
 */
class ExternalDeploymentIT {

  @Test
  void startsWithoutADataFolderAndLeavesTheStoreStationsAlone() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(null);
        ConfigurableApplicationContext api =
            SpringApplication.run(
                TerrafieldApplication.class,
                "--server.port=0",
                "--terrafield.mode=external",
                "--terrafield.flink.target=none",
                "--terrafield.replay.enabled=false",
                "--terrafield.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--terrafield.store.url=jdbc:h2:mem:external-"
                    + System.nanoTime()
                    + ";DB_CLOSE_DELAY=-1")) {
      assertThat(api.getBean(TerrafieldStore.class).stations()).isEmpty();
      String port = api.getEnvironment().getProperty("local.server.port");
      HttpResponse<String> collections =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/collections"))
                      .header("Accept", "application/json")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(collections.statusCode()).isEqualTo(200);
      assertThat(collections.body()).contains("\"pm25\"");
    }
  }
}
