package io.terrafield.api.dashboard;

import io.terrafield.forecasting.categories.AirQualityCategories;
import io.terrafield.forecasting.categories.Category;
import io.terrafield.forecasting.categories.CategoryScheme;
import io.terrafield.forecasting.categories.CategoryTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /dashboard/categories}: the air-quality category schemes of the forecasting module's
 * {@link AirQualityCategories} (US EPA AQI, European AQI, China HJ 633) as JSON, so that the
 * dashboard's legend and colours use the same breakpoints as the API. Read-only and static.
 *
 * <pre>{"schemes":[{"id":"us-epa-aqi","title":…,"source":…,
 *   "pollutants":{"pm25":{"title":…,"unit":"µg/m³","publishedUnit":"µg/m³","averaging":"24 h",
 *     "note":…,"categories":[{"label":"Good","upper":9.0,"publishedUpper":9.0,"colour":"#00e400"},
 *     …,{"label":"Hazardous","upper":null,…}]}}}]}</pre>
 *
 * The last category's {@code upper} is {@code null} (unbounded).
 */
@RestController
public class CategoriesController {

  private static final Map<String, Object> ANSWER = answer();

  @GetMapping(value = "/dashboard/categories", produces = "application/json")
  public Map<String, Object> categories() {
    return ANSWER;
  }

  private static Map<String, Object> answer() {
    List<Object> schemes = new ArrayList<>();
    for (CategoryScheme scheme : CategoryScheme.values()) {
      Map<String, Object> pollutants = new LinkedHashMap<>();
      for (String pollutant : AirQualityCategories.pollutants(scheme)) {
        pollutants.put(
            pollutant, table(AirQualityCategories.table(scheme, pollutant).orElseThrow()));
      }
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("id", scheme.id());
      s.put("title", scheme.title());
      s.put("source", scheme.source());
      s.put("pollutants", pollutants);
      schemes.add(s);
    }
    return Map.of("schemes", List.copyOf(schemes));
  }

  private static Map<String, Object> table(CategoryTable t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("title", t.title());
    m.put("unit", t.unit());
    m.put("publishedUnit", t.publishedUnit());
    m.put("averaging", t.averaging());
    m.put("note", t.note());
    List<Object> categories = new ArrayList<>();
    for (Category c : t.categories()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("label", c.label());
      cm.put("upper", Double.isInfinite(c.upper()) ? null : c.upper());
      cm.put("publishedUpper", Double.isInfinite(c.publishedUpper()) ? null : c.publishedUpper());
      cm.put("colour", c.colour());
      categories.add(cm);
    }
    m.put("categories", categories);
    return m;
  }
}
