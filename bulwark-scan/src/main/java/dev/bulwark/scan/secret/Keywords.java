package dev.bulwark.scan.secret;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Which of a set of ASCII keywords occur in some bytes, case-insensitively, in one pass: an Aho-Corasick automaton
 * compiled to a dense transition table (states x 256), so the per-byte cost is one array load whatever the number
 * of keywords. This is the cheap test that lets most files skip every regex.
 */
final class Keywords {
    private final int[] next;
    /** For each state, the keyword indexes that end there (its own and its suffixes'), or null. */
    private final int[][] out;
    private final int count;

    Keywords(List<String> keywords) {
        count = keywords.size();
        List<int[]> trie = new ArrayList<>();
        List<List<Integer>> ends = new ArrayList<>();
        trie.add(new int[256]);
        ends.add(new ArrayList<>());
        for (int k = 0; k < keywords.size(); k++) {
            byte[] w = keywords.get(k).toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            int s = 0;
            for (byte b : w) {
                int c = b & 0xff;
                if (trie.get(s)[c] == 0) {
                    trie.get(s)[c] = trie.size();
                    trie.add(new int[256]);
                    ends.add(new ArrayList<>());
                }
                s = trie.get(s)[c];
            }
            ends.get(s).add(k);
        }
        int n = trie.size();
        int[] fail = new int[n];
        // Breadth-first: complete the goto function into a DFA, inheriting outputs along failure links.
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < 256; c++) {
            int t = trie.get(0)[c];
            if (t != 0) {
                fail[t] = 0;
                queue.add(t);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            ends.get(s).addAll(ends.get(fail[s]));
            for (int c = 0; c < 256; c++) {
                int t = trie.get(s)[c];
                if (t != 0) {
                    fail[t] = trie.get(fail[s])[c];
                    queue.add(t);
                } else {
                    trie.get(s)[c] = trie.get(fail[s])[c];
                }
            }
        }
        next = new int[n * 256];
        out = new int[n][];
        for (int s = 0; s < n; s++) {
            int[] row = trie.get(s);
            for (int c = 0; c < 256; c++) {
                // upper-case ASCII letters go where their lower-case letter goes
                int lc = c >= 'A' && c <= 'Z' ? c + 32 : c;
                next[s * 256 + c] = row[lc] * 256;
            }
            List<Integer> e = ends.get(s);
            if (!e.isEmpty()) out[s] = e.stream().distinct().mapToInt(Integer::intValue).toArray();
        }
    }

    /** The indexes of the keywords found in {@code data[0, len)}. */
    BitSet find(byte[] data, int len) {
        BitSet found = new BitSet(count);
        int[] t = next;
        int s = 0;
        for (int i = 0; i < len; i++) {
            s = t[s + (data[i] & 0xff)];
            int[] o = out[s >> 8];
            if (o != null) {
                for (int k : o) found.set(k);
                if (found.cardinality() == count) break;
            }
        }
        return found;
    }
}
