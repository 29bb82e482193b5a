package dev.bulwark.match.suppress;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One VEX assertion, from OpenVEX or CycloneDX, in the form matching needs.
 *
 * @param ids      the vulnerability's name and aliases, as {@link Ids#key} keys
 * @param products what it is about; never empty
 * @param status   the status it asserts
 * @param time     when it was known to be true (statement, else document timestamp); null when none is given
 * @param order    load order over every VEX file, breaking ties between equal times (later wins)
 * @param by       "openvex" or "cyclonedx-vex"
 * @param reason   justification and impact statement or detail, one line
 * @param where    "file: statement N" or "file: vulnerability N", with the line when known
 */
record VexStatement(Set<String> ids, List<Product> products, VexStatus status, Instant time, long order, String by,
                    String reason, String where) {
    VexStatement {
        ids = Set.copyOf(ids);
        products = List.copyOf(products);
    }

    /** True when the statement is newer than {@code other}: later time, or the same time and later in load order. */
    boolean supersedes(VexStatement other) {
        Instant a = time == null ? Instant.MIN : time;
        Instant b = other.time == null ? Instant.MIN : other.time;
        int c = a.compareTo(b);
        return c != 0 ? c > 0 : order > other.order;
    }

    /**
     * A product and the subcomponents a statement names within it.
     *
     * @param purls         the product's package URLs (its @id and identifiers.purl, or a CycloneDX component's purl)
     * @param subcomponents each subcomponent's package URLs; empty when the statement is about the product itself
     */
    record Product(List<Purl> purls, List<List<Purl>> subcomponents) {
        Product {
            purls = List.copyOf(purls);
            subcomponents = subcomponents.stream().map(List::copyOf).toList();
        }
    }
}
