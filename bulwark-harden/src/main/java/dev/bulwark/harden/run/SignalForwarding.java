package dev.bulwark.harden.run;

import java.util.List;

/**
 * Passes this process's signals on while a container runs. The JDK has no public signal API: sun.misc.Signal (module
 * jdk.unsupported, there in every JDK since 9) is what exists. A signal the JVM will not let us handle (it uses some
 * itself) is left alone, and the container still ends when runc's parent does.
 */
@SuppressWarnings("sunapi")
final class SignalForwarding {
    private SignalForwarding() {}

    record Saved(sun.misc.Signal signal, sun.misc.SignalHandler previous) {}

    static void install(String name, Runnable action, List<Object> restore) {
        try {
            sun.misc.Signal s = new sun.misc.Signal(name);
            sun.misc.SignalHandler prev = sun.misc.Signal.handle(s, sig -> action.run());
            restore.add(new Saved(s, prev));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the JVM keeps this signal to itself
        }
    }

    static void restore(List<Object> saved) {
        for (Object o : saved) {
            if (o instanceof Saved s) {
                try {
                    sun.misc.Signal.handle(s.signal(), s.previous());
                } catch (IllegalArgumentException ignored) {
                    // nothing to restore
                }
            }
        }
    }
}
