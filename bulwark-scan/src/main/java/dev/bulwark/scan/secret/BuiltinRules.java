package dev.bulwark.scan.secret;

import dev.bulwark.model.Severity;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules Bulwark ships (docs/secrets.md lists them). Each combines a literal every match holds (the keyword
 * prefilter), a structure (prefix, alphabet, length, checksum where the format has one) and, for formats without a
 * fixed prefix, an entropy floor: a placeholder or a word does not pass.
 */
final class BuiltinRules {
    private BuiltinRules() {
    }

    static List<Rule> all() {
        return List.of(
                new Rule("private-key", "Private key", Severity.CRITICAL, List.of("private key"),
                        Pattern.compile("-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----"
                                + "([\\s\\w+/=:,.\\\\-]{64,}?)-----END \\1-----"),
                        2, 0, 0, null, Rule.Check.KEY_BODY).anchoredAt("-----BEGIN "),
                // 2.5, not 3.0: the 16 random base32 characters of a real key id fall below 3.0 bits a few times in a hundred
                // (a property test found AKIAAJR5DJGC5J5YJJYF at 2.85); placeholders (AKIAXXXXXXXXXXXXXXXX) stay far below
                new Rule("aws-access-key-id", "AWS access key ID", Severity.HIGH, List.of("akia", "asia", "abia", "acca"),
                        Pattern.compile("(?<![A-Z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Z0-9])"), 1, 2.5, 4, null, null).anchoredAt("AKIA", "ASIA", "ABIA", "ACCA"),
                new Rule("aws-secret-access-key", "AWS secret access key", Severity.CRITICAL,
                        List.of("secret_access_key", "secretaccesskey", "secret-access-key"),
                        Pattern.compile("(?i)aws_?secret_?access_?key[\"']?\\s*[:=]\\s*[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
                                .replace("aws_?secret_?access_?key", "(?:aws[_-]?)?secret[_-]?access[_-]?key")),
                        1, 4.0, 0, null, null),
                new Rule("gcp-service-account", "GCP service account key", Severity.CRITICAL, List.of("service_account"),
                        Pattern.compile("\"private_key_id\"\\s*:\\s*\"([0-9a-f]{40})\""), 1, 3.0, 0, null, null).anchoredAt("\"private_key_id\""),
                new Rule("azure-storage-key", "Azure storage account key", Severity.CRITICAL, List.of("accountkey="),
                        Pattern.compile("AccountKey=([A-Za-z0-9+/]{86}==)"), 1, 4.0, 0, null, null).anchoredAt("AccountKey="),
                new Rule("github-pat", "GitHub token", Severity.CRITICAL, List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
                        Pattern.compile("(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9_])"), 1, 3.0, 4, null, Rule.Check.CRC32_BASE62).anchoredAt("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
                new Rule("github-fine-grained-pat", "GitHub fine-grained token", Severity.CRITICAL, List.of("github_pat_"),
                        Pattern.compile("(?<![A-Za-z0-9_])(github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])"), 1, 3.5, 11, null, null).anchoredAt("github_pat_"),
                new Rule("gitlab-pat", "GitLab token", Severity.CRITICAL, List.of("glpat-", "gldt-", "glrt-"),
                        Pattern.compile("(?<![A-Za-z0-9_-])((?:glpat|gldt|glrt)-[A-Za-z0-9_-]{20,64})(?![A-Za-z0-9_-])"), 1, 3.0, 6, null, null).anchoredAt("glpat-", "gldt-", "glrt-"),
                new Rule("slack-token", "Slack token", Severity.HIGH, List.of("xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"),
                        Pattern.compile("(?<![A-Za-z0-9])(xox[baprs]-[0-9]{10,13}-[0-9]{10,13}(?:-[0-9]{10,13})?-[A-Za-z0-9]{24,34})(?![A-Za-z0-9])"),
                        1, 3.0, 5, null, null).anchoredAt("xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"),
                new Rule("slack-webhook", "Slack incoming webhook", Severity.MEDIUM, List.of("hooks.slack.com/services/"),
                        Pattern.compile("hooks\\.slack\\.com/services/(T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24})"), 1, 3.0, 0, null, null).anchoredAt("hooks.slack.com/services/"),
                new Rule("npm-token", "npm access token", Severity.CRITICAL, List.of("npm_"),
                        Pattern.compile("(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])"), 1, 3.0, 4, null, Rule.Check.CRC32_BASE62).anchoredAt("npm_"),
                new Rule("npmrc-auth-token", "npm registry auth token", Severity.HIGH, List.of("_authtoken"),
                        Pattern.compile("_authToken\\s*=\\s*([A-Za-z0-9_.+/=-]{20,})"), 1, 3.0, 0, null, null).anchoredAt("_authToken"),
                new Rule("pypi-token", "PyPI upload token", Severity.CRITICAL, List.of("pypi-ageichlwas5vcmc"),
                        Pattern.compile("(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})"), 1, 3.0, 5, null, null).anchoredAt("pypi-AgEIcHlwaS5vcmc"),
                new Rule("docker-config-auth", "Registry credentials in a Docker config", Severity.HIGH, List.of("\"auth\""),
                        Pattern.compile("\"auths\"\\s*:[\\s\\S]{0,8192}?\"auth\"\\s*:\\s*\"([A-Za-z0-9+/]{6,}={0,2})\""),
                        1, 2.5, 0, null, Rule.Check.BASIC_AUTH).anchoredAt("\"auths\""),
                new Rule("password-in-url", "Password in a URL", Severity.HIGH, List.of("://"),
                        Pattern.compile("://[A-Za-z0-9._~%!-]{1,64}:([^\\s:/?#@'\"<>\\\\`$%{}\\[\\]()]{6,128})@[A-Za-z0-9.-]+"),
                        1, 2.8, 0, null, null).anchoredAt("://"),
                new Rule("dotenv-secret", "Secret in a .env file", Severity.HIGH, List.of(),
                        Pattern.compile("(?m)^[ \\t]*(?:export[ \\t]+)?[A-Za-z0-9_]*(?i:password|passwd|secret|token|api_?key|private_?key|access_?key|credentials?)[A-Za-z0-9_]*"
                                + "[ \\t]*=[ \\t]*[\"']?([^\\s\"'#$/][^\\s\"'#$]{7,})"),
                        1, 3.0, 0, Pattern.compile("(?:^|/)\\.env(?:\\.[A-Za-z0-9_-]+)?$|\\.env$"), null),
                new Rule("jwt", "JSON Web Token", Severity.MEDIUM, List.of("eyj"),
                        Pattern.compile("(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])"),
                        1, 3.0, 3, null, Rule.Check.JWT_HEADER).anchoredAt("eyJ"));
    }
}
