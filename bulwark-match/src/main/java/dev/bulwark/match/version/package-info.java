/**
 * Version orderings, one per ecosystem, each a pure function of two strings.
 *
 * <p>Every scheme class ({@link dev.bulwark.match.version.DpkgVersion}, {@link dev.bulwark.match.version.RpmVersion},
 * {@link dev.bulwark.match.version.ApkVersion}, {@link dev.bulwark.match.version.SemVer},
 * {@link dev.bulwark.match.version.MavenVersion}, {@link dev.bulwark.match.version.Pep440Version},
 * {@link dev.bulwark.match.version.GoVersion}, {@link dev.bulwark.match.version.GemVersion}) follows one contract:
 * <ul>
 *   <li>{@code parse(String)} returns a comparable value or throws {@link java.lang.IllegalArgumentException} whose
 *       message quotes the input and says what is wrong; it throws nothing else for any non-null string;</li>
 *   <li>{@code isValid(String)} is true exactly when {@code parse} would succeed (false for null);</li>
 *   <li>{@code compare(String, String)} is {@code parse(a).compareTo(parse(b))}, so it throws
 *       {@code IllegalArgumentException} for an invalid side;</li>
 *   <li>{@code equals} is consistent with {@code compareTo} ("1.0" and "1.00" are equal dpkg versions) and
 *       {@code toString} gives back the text that was parsed.</li>
 * </ul>
 * Invalid input is an error rather than a silent "not affected": a matcher that cannot order two versions must say
 * so, not guess. {@link dev.bulwark.match.version.Versions} maps OSV ecosystems and package types to schemes.
 */
package dev.bulwark.match.version;
