package dev.bulwark.policy;

import dev.bulwark.model.Decision;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code signed(image)} and the trust cache, with a fake verifier: the real one (bulwark-trust against a
 * registry) is in the CLI's AuthzTrustIT; here faults are injected (slow, throwing, counting verifiers).
 */
class ImageTrustTest {
    private static final String SIGNED = "127.0.0.1:5000/acme/web@sha256:" + "a".repeat(64);
    private static final String UNSIGNED = "127.0.0.1:5000/acme/web:latest";

    private static Policy policy() throws PolicyException {
        return Policies.parse("t.yaml", """
                apiVersion: bulwark.dev/v1
                kind: Policy
                default: allow
                rules:
                  - {name: ping, match: {actions: [system.ping]}, effect: allow}
                  - {name: by-digest, match: {actions: [container.create]}, condition: 'digest == ""', effect: deny, message: "{{image}} not by digest"}
                  - {name: signed-only, match: {actions: [container.create]}, condition: '!signed(image)', effect: deny, message: "{{image}} is not signed"}
                """);
    }

    private static PolicyRequest create(String image, String digest) {
        return new PolicyRequest(PolicyRequest.DOCKER, "", List.of(), "container.create", Map.of("image", image, "digest", digest));
    }

    /** A verifier that trusts only SIGNED and counts its calls per reference. */
    private static final class Counting implements ImageTrust {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        @Override
        public Verdict verify(String ref) {
            calls.computeIfAbsent(ref, k -> new AtomicInteger()).incrementAndGet();
            return ref.equals(SIGNED) ? Verdict.trusted("key 1") : Verdict.untrusted("no signatures");
        }

        int calls(String ref) {
            AtomicInteger n = calls.get(ref);
            return n == null ? 0 : n.get();
        }
    }

    @Test
    void signedImagesByDigestAreAllowedUnsignedOnesAndTagsDenied() throws Exception {
        Counting fake = new Counting();
        PolicyEngine e = ImageTrust.bind(policy(), ImageTrust.cached(fake, Duration.ofMinutes(5), Duration.ofSeconds(10), 100, Duration.ofSeconds(5)));
        assertThat(e.decide(create(SIGNED, "sha256:" + "a".repeat(64))).allowed()).isTrue();
        Decision unsigned = e.decide(create("127.0.0.1:5000/acme/db@sha256:" + "b".repeat(64), "sha256:" + "b".repeat(64)));
        assertThat(unsigned.allowed()).isFalse();
        assertThat(unsigned.rule()).isEqualTo("signed-only");
        assertThat(unsigned.message()).isEqualTo("127.0.0.1:5000/acme/db@sha256:" + "b".repeat(64) + " is not signed (no signatures)");
        Decision tag = e.decide(create(UNSIGNED, ""));
        assertThat(tag.rule()).isEqualTo("by-digest");
        assertThat(tag.message()).isEqualTo(UNSIGNED + " not by digest");
    }

    @Test
    void theVerifierIsAskedOnlyWhenARuleReachesSignedAndThenFromTheCache() throws Exception {
        Counting fake = new Counting();
        PolicyEngine e = ImageTrust.bind(policy(), ImageTrust.cached(fake, Duration.ofMinutes(5), Duration.ofSeconds(10), 100, Duration.ofSeconds(5)));
        e.decide(new PolicyRequest(PolicyRequest.DOCKER, "", List.of(), "system.ping", Map.of()));
        e.decide(create(UNSIGNED, "")); // stopped by by-digest before signed() is reached
        assertThat(fake.calls).isEmpty();
        for (int i = 0; i < 5; i++) assertThat(e.decide(create(SIGNED, "sha256:" + "a".repeat(64))).allowed()).isTrue();
        assertThat(fake.calls(SIGNED)).isEqualTo(1);
    }

    @Test
    void withoutATrustBindingSignedCannotBeEvaluatedAndDenies() throws Exception {
        Decision d = policy().decide(create(SIGNED, "sha256:" + "a".repeat(64)));
        assertThat(d.allowed()).isFalse();
        assertThat(d.rule()).isEqualTo("signed-only");
        assertThat(d.message()).contains("could not be evaluated").contains("--key");
    }

    @Test
    void aVerifierThatThrowsOrReturnsNothingIsNotTrusted() throws Exception {
        ImageTrust throwing = ImageTrust.cached(ref -> {
            throw new java.io.IOException("connection refused\nsecond line");
        }, Duration.ofMinutes(5), Duration.ofSeconds(10), 10, Duration.ofSeconds(5));
        ImageTrust.Verdict v = throwing.verify(SIGNED);
        assertThat(v.trusted()).isFalse();
        assertThat(v.reason()).contains("connection refused").doesNotContain("\n");
        assertThat(ImageTrust.bind(policy(), throwing).decide(create(SIGNED, "sha256:" + "a".repeat(64))).allowed()).isFalse();
        assertThat(ImageTrust.cached(ref -> null, Duration.ofMinutes(5), Duration.ofSeconds(10), 10, Duration.ofSeconds(5))
                .verify(SIGNED).trusted()).isFalse();
        assertThat(ImageTrust.cached(ref -> {
            throw new StackOverflowError();
        }, Duration.ofMinutes(5), Duration.ofSeconds(10), 10, Duration.ofSeconds(5)).verify(SIGNED).trusted()).isFalse();
    }

    @Test
    void aSlowVerificationDeniesAtTheTimeoutAndItsVerdictServesLaterCalls() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ImageTrust slow = ImageTrust.cached(ref -> {
            calls.incrementAndGet();
            release.await(30, TimeUnit.SECONDS);
            return ImageTrust.Verdict.trusted("late");
        }, Duration.ofMinutes(5), Duration.ofSeconds(10), 10, Duration.ofMillis(50));
        PolicyEngine e = ImageTrust.bind(policy(), slow);
        Decision d = e.decide(create(SIGNED, "sha256:" + "a".repeat(64)));
        assertThat(d.allowed()).isFalse();
        ImageTrust.Verdict v = slow.verify(SIGNED);
        assertThat(v.trusted()).isFalse();
        assertThat(v.reason()).contains("did not finish within 50 ms");
        release.countDown();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!slow.verify(SIGNED).trusted() && System.nanoTime() < end) Thread.sleep(10);
        assertThat(e.decide(create(SIGNED, "sha256:" + "a".repeat(64))).allowed()).isTrue();
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void verdictsExpireTrustedAfterTheTtlUntrustedAfterTheShorterOne() {
        AtomicLong now = new AtomicLong(0);
        Counting fake = new Counting();
        TrustCache c = new TrustCache(fake, Duration.ofSeconds(60), Duration.ofSeconds(5), 10, Duration.ofSeconds(5), now::get);
        c.verify(SIGNED);
        c.verify(UNSIGNED);
        now.set(Duration.ofSeconds(6).toNanos());
        c.verify(SIGNED);
        c.verify(UNSIGNED);
        assertThat(fake.calls(SIGNED)).isEqualTo(1);
        assertThat(fake.calls(UNSIGNED)).isEqualTo(2);
        now.set(Duration.ofSeconds(61).toNanos());
        c.verify(SIGNED);
        assertThat(fake.calls(SIGNED)).isEqualTo(2);
    }

    @Test
    void theCacheIsBoundedLeastRecentlyUsedFirst() {
        Counting fake = new Counting();
        TrustCache c = new TrustCache(fake, Duration.ofSeconds(60), Duration.ofSeconds(60), 3, Duration.ofSeconds(5), () -> 0L);
        for (int i = 0; i < 50; i++) c.verify("r/" + i + ":1");
        assertThat(c.size()).isEqualTo(3);
        c.verify("r/49:1");
        assertThat(fake.calls("r/49:1")).isEqualTo(1);
        c.verify("r/0:1");
        assertThat(fake.calls("r/0:1")).isEqualTo(2);
        assertThat(c.verify("").trusted()).isFalse();
    }
}
