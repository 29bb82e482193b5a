package dev.bulwark.scan;

import dev.bulwark.scan.analyzer.Analyzer;

import java.util.List;

/** The analysers Bulwark runs by default. */
public final class Analyzers {
    private Analyzers() {
    }

    public static List<Analyzer> defaults() {
        return List.of();
    }
}
