package dev.bulwark.server.api;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The API's routes: method, path pattern and the role it needs. The OpenAPI document lists the same paths. */
final class Routes {
    private Routes() {
    }

    enum Need { NONE, READ, SCAN, ADMIN }

    record Route(String method, String template, Need need, Pattern pattern) {
        Matcher match(String path) {
            return pattern.matcher(path);
        }
    }

    private static Route r(String method, String template, Need need) {
        String regex = template.replaceAll("\\{[a-z]+}", "([0-9]{1,18})");
        return new Route(method, template, need, Pattern.compile(regex));
    }

    static final List<Route> ALL = List.of(
            r("GET", "/api/v1/images", Need.READ),
            r("GET", "/api/v1/images/{id}", Need.READ),
            r("GET", "/api/v1/images/{id}/findings", Need.READ),
            r("GET", "/api/v1/images/{id}/changes", Need.READ),
            r("GET", "/api/v1/images/{id}/sbom", Need.READ),
            r("GET", "/api/v1/trends", Need.READ),
            r("GET", "/api/v1/audits", Need.READ),
            r("GET", "/api/v1/audits/{id}", Need.READ),
            r("POST", "/api/v1/audits", Need.SCAN),
            r("GET", "/api/v1/decisions", Need.READ),
            r("POST", "/api/v1/decisions", Need.SCAN),
            r("POST", "/api/v1/scans", Need.SCAN),
            r("GET", "/api/v1/scans/{id}", Need.READ),
            r("POST", "/api/v1/registry/events", Need.SCAN),
            r("GET", "/api/v1/tokens", Need.ADMIN),
            r("POST", "/api/v1/tokens", Need.ADMIN),
            r("GET", "/openapi.json", Need.NONE),
            r("GET", "/healthz", Need.NONE));
}
