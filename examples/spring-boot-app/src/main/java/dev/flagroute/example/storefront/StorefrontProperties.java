package dev.flagroute.example.storefront;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code storefront.*} configuration.
 *
 * @param reviewsUrl The reviews service, by its mesh name; the mesh routes each call by its flag headers.
 * @param betaTesters The users who get the redesigned reviews (flag 'new-reviews').
 */
@ConfigurationProperties("storefront")
public record StorefrontProperties(@DefaultValue("http://reviews:9080") String reviewsUrl,
    @DefaultValue List<String> betaTesters) {}
