package dev.bulwark.policy;

import dev.bulwark.model.Decision;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether an image is signed as the operator demands: the hook through which rules call {@code signed(image)}.
 * This module cannot know keys, trust policies or Notary (bulwark-trust does, and this module must not depend on
 * it), so the CLI builds the implementation from bulwark-trust and hands it in with {@link #bind}.
 * <p>
 * A verification asks a registry, so it is slow next to a decision (milliseconds against microseconds): wrap the
 * real one with {@link #cached}, which remembers verdicts for a while, bounds their number, and answers "not
 * trusted" when a verification takes longer than its timeout (fail closed; the verification goes on and its
 * verdict is kept for the next call). Rules that never call {@code signed()} never pay for it.
 */
@FunctionalInterface
public interface ImageTrust {

    /**
     * The verdict on one image reference as the decoders write it ({@code registry/repository:tag} or
     * {@code ...@sha256:...}). Throwing is allowed; the cache turns it into an untrusted verdict with the reason.
     */
    Verdict verify(String imageRef) throws Exception;

    /**
     * @param trusted true only when the image was verified (a signature by a trusted key over the digest the
     *                registry serves, or valid Notary trust data)
     * @param reason  who signed it, or why it was refused; one line
     */
    record Verdict(boolean trusted, String reason) {
        public Verdict {
            Objects.requireNonNull(reason, "reason");
        }

        public static Verdict trusted(String why) {
            return new Verdict(true, why);
        }

        public static Verdict untrusted(String why) {
            return new Verdict(false, why);
        }
    }

    /**
     * A cached, time-bounded view of a verifier (thread-safe; calls for the same reference while one verification
     * runs wait for that one rather than start another).
     *
     * @param ttl         how long a trusted verdict is kept
     * @param negativeTtl how long an untrusted verdict or an error is kept (short: a freshly signed image, or a
     *                    registry back from an outage, should not be refused for long)
     * @param maxEntries  at most this many references remembered (least recently used go first)
     * @param timeout     how long a decision waits for a verification before it denies
     */
    static ImageTrust cached(ImageTrust verifier, Duration ttl, Duration negativeTtl, int maxEntries, Duration timeout) {
        return new TrustCache(verifier, ttl, negativeTtl, maxEntries, timeout, System::nanoTime);
    }

    /**
     * The engine with {@code signed(image)} answered by the trust given. Without a binding, a rule that calls
     * {@code signed()} cannot be evaluated, and that denies.
     */
    static PolicyEngine bind(PolicyEngine engine, ImageTrust trust) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(trust, "trust");
        return new PolicyEngine() {
            @Override
            public Decision decide(PolicyRequest request) {
                return Conditions.withTrust(trust, () -> engine.decide(request));
            }

            @Override
            public String toString() {
                return engine + " with image trust";
            }
        };
    }
}
