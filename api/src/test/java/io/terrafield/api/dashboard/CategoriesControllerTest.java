package io.terrafield.api.dashboard;

import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.terrafield.api.security.SecurityConfiguration;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = CategoriesController.class)
@Import({SecurityConfiguration.class, CategoriesControllerTest.Time.class})
class CategoriesControllerTest {

  /** The security configuration's rate limiter reads the injected clock. */
  @TestConfiguration
  static class Time {
    @Bean
    Clock clock() {
      return Clock.systemUTC();
    }
  }

  @Autowired MockMvc mvc;

  @Test
  void servesTheThreeSchemesPerPollutantWithAnUnboundedLastCategory() throws Exception {
    mvc.perform(get("/dashboard/categories"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.schemes", hasSize(3)))
        .andExpect(jsonPath("$.schemes[0].id").value("us-epa-aqi"))
        .andExpect(jsonPath("$.schemes[0].pollutants.pm25.unit").value("µg/m³"))
        .andExpect(jsonPath("$.schemes[0].pollutants.pm25.categories", hasSize(6)))
        .andExpect(jsonPath("$.schemes[0].pollutants.pm25.categories[0].upper").value(9.0))
        .andExpect(jsonPath("$.schemes[0].pollutants.pm25.categories[5].upper").value(nullValue()))
        .andExpect(jsonPath("$.schemes[0].pollutants.no2.publishedUnit").value("ppb"))
        .andExpect(jsonPath("$.schemes[1].pollutants.co").doesNotExist())
        .andExpect(jsonPath("$.schemes[2].pollutants.pm25.categories[1].label").value("Good"))
        .andExpect(jsonPath("$.schemes[2].pollutants.pm25.categories[1].upper").value(75.0));
  }
}
