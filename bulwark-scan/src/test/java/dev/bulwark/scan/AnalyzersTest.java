package dev.bulwark.scan;

import dev.bulwark.scan.analyzer.Analyzer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnalyzersTest {
    private static List<String> types(List<Analyzer> l) {
        return l.stream().map(Analyzer::type).toList();
    }

    @Test
    void groupsAndTypesSelectInTheDefaultOrder() {
        assertThat(types(Analyzers.select(List.of("os")))).containsExactly("os-release", "dpkg", "apk", "rpm");
        assertThat(types(Analyzers.select(List.of("library")))).containsExactly("os-release", "jar", "npm", "python", "gobinary", "rustbinary", "gem");
        assertThat(types(Analyzers.select(List.of("LANG")))).isEqualTo(types(Analyzers.select(List.of("library"))));
        assertThat(types(Analyzers.select(List.of("npm", " dpkg ")))).as("os-release always runs").containsExactly("os-release", "dpkg", "npm");
        assertThat(types(Analyzers.select(List.of("os", "library")))).isEqualTo(types(Analyzers.defaults()));
    }

    @Test
    void unknownOrEmptySelectionsAreRefusedWithTheChoices() {
        assertThatThrownBy(() -> Analyzers.select(List.of("os", "cobol"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cobol'").hasMessageContaining("os, library, os-release, dpkg");
        assertThatThrownBy(() -> Analyzers.select(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
    }
}
