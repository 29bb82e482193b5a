package dev.bulwark.audit.host;

import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;

import java.util.ArrayList;
import java.util.List;

/** One check of the catalogue: its description and the code that gives its results. */
interface Check {
    CheckInfo info();

    /** The results on every subject the check looks at (at least one). */
    List<AuditResult> run(Facts facts) throws Exception;

    /** What a rule decided about one subject. */
    record Verdict(AuditStatus status, String evidence, String fix) {
        static Verdict pass(String evidence) {
            return new Verdict(AuditStatus.PASS, evidence, "");
        }

        static Verdict fail(String evidence, String fix) {
            return new Verdict(AuditStatus.FAIL, evidence, fix);
        }

        /**
         * Evidence for a human to judge: WARN from an automated check, MANUAL from a manual one ({@link #result}
         * decides by the check's {@link CheckInfo#automated()}).
         */
        static Verdict review(String evidence, String fix) {
            return new Verdict(AuditStatus.WARN, evidence, fix);
        }

        static Verdict info(String evidence) {
            return new Verdict(AuditStatus.INFO, evidence, "");
        }

        static Verdict error(String evidence) {
            return new Verdict(AuditStatus.ERROR, evidence, "");
        }
    }

    static AuditResult result(CheckInfo info, Verdict v, String subject, String location) {
        List<String> refs = new ArrayList<>();
        refs.add(info.reference());
        AuditStatus status = v.status() == AuditStatus.WARN && !info.automated() ? AuditStatus.MANUAL : v.status();
        return new AuditResult(info.id(), info.title(), info.severity(), info.level(), status, subject, location,
            v.evidence(), status == AuditStatus.PASS ? "" : v.fix(), refs);
    }

    // ------------------------------------------------------------------ kinds of checks

    @FunctionalInterface
    interface DaemonRule {
        Verdict test(Facts f) throws Exception;
    }

    @FunctionalInterface
    interface ContainerRule {
        Verdict test(Facts f, Container c) throws Exception;
    }

    @FunctionalInterface
    interface ImageRule {
        Verdict test(Facts f, Image i) throws Exception;
    }

    @FunctionalInterface
    interface Body {
        List<AuditResult> run(Facts f, CheckInfo info) throws Exception;
    }

    /** A check with one result about the daemon (subject "daemon", location the daemon.json path). */
    static Check daemon(CheckInfo info, DaemonRule rule) {
        return of(info, (f, i) -> List.of(result(i, rule.test(f), "daemon", daemonLocation(f))));
    }

    /** A check with one result about the host (subject "host"). */
    static Check host(CheckInfo info, DaemonRule rule) {
        return of(info, (f, i) -> List.of(result(i, rule.test(f), "host", "")));
    }

    /** A check with one result per container (INFO when there is none). */
    static Check container(CheckInfo info, ContainerRule rule) {
        return of(info, (f, i) -> {
            List<Container> all = f.containers();
            if (all.isEmpty()) {
                return List.of(result(i, Verdict.info(f.view.includeStopped() ? "no containers"
                    : "no running containers"), "containers", ""));
            }
            List<AuditResult> out = new ArrayList<>();
            for (Container c : all) {
                Verdict v;
                try {
                    v = rule.test(f, c);
                } catch (Exception e) {
                    // one container's failure (removed meanwhile, an exec gone) is not every container's
                    v = Verdict.error(e.getMessage() == null ? e.toString() : e.getMessage());
                }
                out.add(result(i, v, c.name(), c.id()));
            }
            return out;
        });
    }

    /** A check with one result per image (INFO when there is none). */
    static Check image(CheckInfo info, ImageRule rule) {
        return of(info, (f, i) -> {
            List<Image> all = f.images();
            if (all.isEmpty()) return List.of(result(i, Verdict.info("no images"), "images", ""));
            List<AuditResult> out = new ArrayList<>();
            for (Image img : all) {
                Verdict v;
                try {
                    v = rule.test(f, img);
                } catch (Exception e) {
                    v = Verdict.error(e.getMessage() == null ? e.toString() : e.getMessage());
                }
                out.add(result(i, v, img.name(), img.id()));
            }
            return out;
        });
    }

    static Check of(CheckInfo info, Body body) {
        return new Check() {
            @Override
            public CheckInfo info() {
                return info;
            }

            @Override
            public List<AuditResult> run(Facts facts) throws Exception {
                return body.run(facts, info);
            }
        };
    }

    static String daemonLocation(Facts f) {
        try {
            return f.settings().configPath();
        } catch (Memo.FactException e) {
            return "";
        }
    }
}
