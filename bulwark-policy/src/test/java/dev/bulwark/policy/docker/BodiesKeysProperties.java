package dev.bulwark.policy.docker;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one-pass body reader against a plain model: an object is refused exactly when two of its keys fold alike
 * (exact duplicates included), whether it is small (compared pairwise) or large (hash table, grown as it fills).
 */
class BodiesKeysProperties {
    @Provide
    Arbitrary<List<String>> keyLists() {
        // few letters, both cases, the Kelvin sign and long s: many near-collisions
        Arbitrary<String> key = Arbitraries.strings().withChars("aAbBkKsS\u212A\u017F").ofMinLength(1).ofMaxLength(4);
        return key.list().ofMinSize(0).ofMaxSize(120);
    }

    @Property(tries = 400)
    void refusedExactlyWhenTwoKeysFoldAlike(@ForAll("keyLists") List<String> keys) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append('"').append(keys.get(i)).append("\":").append(i);
        }
        byte[] body = sb.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Set<String> folded = new HashSet<>();
        boolean clash = false;
        for (String k : keys) clash |= !folded.add(Bodies.fold(k));
        if (clash) {
            assertThatThrownBy(() -> Bodies.object(body)).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("differ only in case", "Duplicate field"));
        } else {
            assertThat(Bodies.object(body).size()).isEqualTo(keys.size());
        }
    }

    @Property(tries = 200)
    void largeObjectsWithOneCaseVariantAddedAreRefusedWithoutItAccepted(@ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 300) int n,
                                                                          @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 299) int dup,
                                                                          @ForAll boolean upper) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) sb.append(i > 0 ? "," : "").append("\"key").append(i).append("\":").append(i);
        String distinct = sb + "}";
        assertThat(Bodies.object(distinct.getBytes()).size()).isEqualTo(n);
        int d = dup % n;
        String again = upper ? "KEY" + d : "key" + d;
        String withDup = sb + ",\"" + again + "\":0}";
        assertThatThrownBy(() -> Bodies.object(withDup.getBytes())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(upper ? "differ only in case" : "Duplicate field");
    }
}
