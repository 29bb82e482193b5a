package dev.bulwark.audit.file;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed Dockerfile.
 *
 * @param name         the file's name as given (used in locations)
 * @param lines        the physical lines, without line terminators
 * @param escape       the escape character ({@code \} or {@code `} from the {@code # escape=} directive)
 * @param directives   parser directives (syntax, escape, check), lower-case keys
 * @param instructions the instructions, in file order
 */
record Dockerfile(String name, List<String> lines, char escape, Map<String, String> directives,
                  List<Instruction> instructions) {

    Dockerfile {
        lines = List.copyOf(lines);
        directives = Map.copyOf(directives);
        instructions = List.copyOf(instructions);
    }

    /**
     * A build stage.
     *
     * @param index        0 for the first FROM
     * @param from         its FROM instruction
     * @param image        the image as written (variables not expanded)
     * @param name         the stage name after AS, lower case, or null
     * @param instructions the instructions after FROM up to the next FROM
     */
    record Stage(int index, Instruction from, String image, String name, List<Instruction> instructions) {
    }

    /** The instructions before the first FROM (only ARGs). */
    List<Instruction> globals() {
        return instructions.stream().filter(i -> i.stage() < 0).toList();
    }

    List<Stage> stages() {
        List<Stage> out = new ArrayList<>();
        Instruction from = null;
        List<Instruction> body = new ArrayList<>();
        for (Instruction i : instructions) {
            if (i.stage() < 0) continue;
            if (i.keyword().equals("FROM")) {
                if (from != null) out.add(stage(out.size(), from, body));
                from = i;
                body = new ArrayList<>();
            } else {
                body.add(i);
            }
        }
        if (from != null) out.add(stage(out.size(), from, body));
        return out;
    }

    private static Stage stage(int index, Instruction from, List<Instruction> body) {
        List<String> w = DockerfileParser.words(from.rest());
        String image = w.isEmpty() ? "" : w.get(0);
        String name = w.size() >= 3 ? w.get(2).toLowerCase(Locale.ROOT) : null;
        return new Stage(index, from, image, name, List.copyOf(body));
    }
}
