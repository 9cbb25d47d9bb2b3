package dev.flagroute.example.storefront;

import dev.flagroute.context.FlagContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * {@code GET /product}: the variants flagroute decided for this request, and what the reviews
 * service answered. The call to reviews carries the decision as {@code x-flag-*} headers because
 * the starter adds a stamping interceptor to Boot's {@link RestClient.Builder}.
 */
@RestController
class ProductController {
  private final RestClient reviews;

  ProductController(RestClient.Builder builder, StorefrontProperties properties) {
    this.reviews = builder.baseUrl(properties.reviewsUrl()).build();
  }

  @GetMapping("/product")
  Map<String, Object> product(@RequestHeader(name = "x-user-id", required = false) String user) {
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("user", user);
    page.put("flags", FlagContext.current().variants());
    page.put("reviews", reviews.get().uri("/reviews").retrieve().body(String.class));
    return page;
  }
}
