package dev.bulwark.policy;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL environment of rule conditions: the variables of {@link Fields} with their types, the standard
 * library and macros ({@code exists}, {@code all}, {@code has}...), and three helpers that policies on paths and
 * names need and CEL lacks: {@code under(path, dir)}, {@code anyUnder(paths, dirs)} and {@code glob(s, pattern)}.
 * Built once; compiling checks types, so a condition that names no variable or does not return bool fails at
 * load time, with the position inside the expression.
 */
final class Conditions {
    /** CEL comprehension iterations per evaluation: enough for any real request, a cap on hostile ones. */
    static final int MAX_ITERATIONS = 100_000;
    private static final CelType STRINGS = ListType.create(SimpleType.STRING);
    private static final Cel CEL = build();

    private Conditions() {
    }

    /** A compiled, type-checked condition; thread-safe. */
    record Compiled(String source, CelRuntime.Program program) {
        /**
         * Evaluates against the variables; only a Boolean result is a result. The variables are looked up
         * through a resolver, not passed as a map: CEL copies a map into an immutable one on every evaluation,
         * which cost more than the evaluation itself.
         */
        boolean test(java.util.function.Function<String, Object> vars) throws CelEvaluationException {
            Object r = program.eval((CelVariableResolver) name -> Optional.ofNullable(vars.apply(name)));
            if (r instanceof Boolean b) return b;
            throw new IllegalStateException("condition returned " + (r == null ? "null" : r.getClass().getSimpleName()) + ", not bool");
        }
    }

    private static Cel build() {
        CelOptions options = CelOptions.current()
                .comprehensionMaxIterations(MAX_ITERATIONS)
                .maxParseRecursionDepth(100)
                .maxParseExpressionNodeCount(10_000)
                .enableHeterogeneousNumericComparisons(true)
                .build();
        var b = CelFactory.plannerCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setResultType(SimpleType.BOOL)
                .addFunctionDeclarations(
                        CelFunctionDecl.newFunctionDeclaration("under",
                                CelOverloadDecl.newGlobalOverload("under_string_string",
                                        "true if the path is the directory or inside it", SimpleType.BOOL,
                                        SimpleType.STRING, SimpleType.STRING)),
                        CelFunctionDecl.newFunctionDeclaration("anyUnder",
                                CelOverloadDecl.newGlobalOverload("anyUnder_list_list",
                                        "true if any of the paths is one of the directories or inside one", SimpleType.BOOL,
                                        STRINGS, STRINGS)),
                        CelFunctionDecl.newFunctionDeclaration("glob",
                                CelOverloadDecl.newGlobalOverload("glob_string_string",
                                        "true if the string matches the glob (* any run, ? one character)", SimpleType.BOOL,
                                        SimpleType.STRING, SimpleType.STRING)),
                        CelFunctionDecl.newFunctionDeclaration("signed",
                                CelOverloadDecl.newGlobalOverload("signed_string",
                                        "true if the image is signed as the server's trust options demand", SimpleType.BOOL,
                                        SimpleType.STRING)))
                .addFunctionBindings(
                        CelFunctionBinding.from("under_string_string", String.class, String.class, Globs::under),
                        CelFunctionBinding.from("anyUnder_list_list", List.class, List.class, Conditions::anyUnder),
                        CelFunctionBinding.from("glob_string_string", String.class, String.class, (s, pattern) -> Globs.match(pattern, s)),
                        CelFunctionBinding.from("signed_string", String.class, Conditions::signed));
        for (Map.Entry<String, CelType> e : Fields.TYPES.entrySet()) b.addVar(e.getKey(), e.getValue());
        return b.build();
    }

    /** The image trust of the decision running on this thread (see {@link ImageTrust#bind}). */
    private static final ThreadLocal<ImageTrust> TRUST = new ThreadLocal<>();

    /** Why images were refused during the decision running on this thread, for its message. */
    private static final ThreadLocal<java.util.List<String>> REFUSALS = new ThreadLocal<>();

    /**
     * Runs a decision with {@code signed()} answered by the trust; a deny that followed a refusal says why the
     * image was refused (the user sees "not signed" and the reason: no signature, wrong key, registry down...).
     */
    static dev.bulwark.model.Decision withTrust(ImageTrust trust, java.util.function.Supplier<dev.bulwark.model.Decision> decision) {
        ImageTrust before = TRUST.get();
        java.util.List<String> refusalsBefore = REFUSALS.get();
        java.util.List<String> refusals = new java.util.ArrayList<>(0);
        TRUST.set(trust);
        REFUSALS.set(refusals);
        try {
            dev.bulwark.model.Decision d = decision.get();
            if (d == null || d.allowed() || refusals.isEmpty()) return d;
            String why = String.join("; ", refusals);
            if (why.length() > 300) why = why.substring(0, 300) + "…";
            return new dev.bulwark.model.Decision(false, d.rule(), d.message() + " (" + why + ")", d.warnings());
        } finally {
            if (before == null) TRUST.remove();
            else TRUST.set(before);
            if (refusalsBefore == null) REFUSALS.remove();
            else REFUSALS.set(refusalsBefore);
        }
    }

    /**
     * {@code signed(image)}: asked only when a rule's evaluation reaches it. No image (an action without one)
     * is not signed; no trust configured is an error, so the rule cannot be evaluated and the request is denied.
     */
    private static boolean signed(String image) {
        ImageTrust trust = TRUST.get();
        if (trust == null) {
            throw new IllegalStateException("signed() needs the server started with image trust (--key, --trust-policy or --notary)");
        }
        if (image.isEmpty()) return false;
        ImageTrust.Verdict v;
        try {
            v = trust.verify(image);
        } catch (Exception e) {
            v = ImageTrust.Verdict.untrusted("cannot verify " + image + ": " + e.getMessage());
        }
        if (v != null && v.trusted()) return true;
        java.util.List<String> refusals = REFUSALS.get();
        if (refusals != null && refusals.size() < 4) refusals.add(v == null ? "no verdict for " + image : PolicyException.oneLineOf(v.reason()));
        return false;
    }

    private static boolean anyUnder(List<?> paths, List<?> dirs) {
        for (Object p : paths) {
            for (Object d : dirs) {
                if (p instanceof String ps && d instanceof String ds && Globs.under(ps, ds)) return true;
            }
        }
        return false;
    }

    /**
     * Compiles a condition, or says why not in one line: the CEL message with the 1-based line and column inside
     * the expression.
     */
    static Compiled compile(String expression) throws CompileError {
        CelValidationResult r;
        try {
            r = CEL.compile(expression);
        } catch (RuntimeException e) {
            throw new CompileError(0, "cannot be compiled: " + e.getMessage());
        }
        if (r.hasError()) {
            CelIssue first = r.getErrors().get(0);
            int line = first.getSourceLocation().getLine();
            int col = first.getSourceLocation().getColumn();
            String where = line > 0 ? "at " + line + ":" + (col + 1) + ": " : "";
            throw new CompileError(Math.max(line, 0) > 0 ? line : 0, where + first.getMessage());
        }
        try {
            CelAbstractSyntaxTree ast = r.getAst();
            if (!ast.getResultType().equals(SimpleType.BOOL) && !ast.getResultType().equals(SimpleType.DYN)) {
                throw new CompileError(0, "returns " + ast.getResultType().name() + ", must return bool");
            }
            return new Compiled(expression, CEL.createProgram(ast));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new CompileError(0, e.getMessage());
        }
    }

    /** Why a condition did not compile; line is the line inside a multi-line expression (1-based), or 0. */
    static final class CompileError extends Exception {
        final int line;

        CompileError(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }
}
